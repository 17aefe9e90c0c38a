// Pins what `auto` runs on: software adapters and GPUs measured slower lose to WASM; forced choices stay.
import { describe, expect, it } from 'vitest';
import { adapterName, chooseBackend, softwareAdapter } from '../../src/engine/backend-choice.js';

const swiftshader = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isFallbackAdapter: true,
};
const nvidia = {
  vendor: 'nvidia',
  architecture: 'hopper',
  device: '',
  description: '',
  isFallbackAdapter: false,
};

describe('softwareAdapter', () => {
  it('recognises the fallback flag and software rasterisers by name', () => {
    expect(softwareAdapter(swiftshader)).toMatch(/software fallback/);
    expect(softwareAdapter({ vendor: 'google', architecture: 'swiftshader' })).toMatch(/software/);
    expect(softwareAdapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toMatch(/software/);
    expect(softwareAdapter({ description: 'Microsoft Basic Render Driver' })).toMatch(/software/);
    expect(softwareAdapter(nvidia)).toBeNull();
    expect(softwareAdapter({ vendor: 'apple', architecture: 'metal-3' })).toBeNull();
  });

  it('names an adapter by its non-empty fields', () => {
    expect(adapterName(nvidia)).toBe('nvidia hopper');
    expect(adapterName({})).toBe('unnamed adapter');
  });
});

describe('chooseBackend', () => {
  it('keeps a backend the user forced, whatever the adapter', () => {
    expect(chooseBackend('web-webgpu', swiftshader).backend).toBe('web-webgpu');
    expect(chooseBackend('web-wasm', nvidia, { webgpuMs: 1, wasmMs: 100 }).backend).toBe('web-wasm');
    expect(chooseBackend('web-webgpu', swiftshader).reason).toMatch(/Backend menu/);
  });

  it('auto: a software adapter loses to WASM, with the reason', () => {
    const c = chooseBackend('auto', swiftshader);
    expect(c).toMatchObject({ backend: 'web-wasm', calibrate: false });
    expect(c.reason).toMatch(/^auto: WASM, because .*swiftshader.*software/);
    expect(c.fallback).toMatch(/software/);
  });

  it('auto: no adapter means WASM and says why', () => {
    const c = chooseBackend('auto', { error: 'no WebGPU adapter available' });
    expect(c.backend).toBe('web-wasm');
    expect(c.reason).toContain('no WebGPU adapter available');
  });

  it('auto: a hardware adapter asks for a calibration, then the faster backend wins', () => {
    expect(chooseBackend('auto', nvidia)).toMatchObject({ backend: 'web-webgpu', calibrate: true });
    const slow = chooseBackend('auto', nvidia, { webgpuMs: 250, wasmMs: 120 });
    expect(slow).toMatchObject({ backend: 'web-wasm', calibrate: false });
    expect(slow.reason).toMatch(/measured slower .*250 ms vs 120 ms/);
    const fast = chooseBackend('auto', nvidia, { webgpuMs: 8.25, wasmMs: 120 });
    expect(fast).toMatchObject({ backend: 'web-webgpu', calibrate: false });
    expect(fast.reason).toMatch(/measured faster .*8\.3 ms vs 120 ms/);
  });

  it('auto: a failed calibration (NaN) does not pick WebGPU', () => {
    expect(chooseBackend('auto', nvidia, { webgpuMs: Number.NaN, wasmMs: 10 }).backend).toBe('web-wasm');
  });

  it('refuses node-cpu with the valid names', () => {
    expect(() => chooseBackend('node-cpu', nvidia)).toThrow(/auto.*web-wasm.*web-webgpu/);
  });
});
