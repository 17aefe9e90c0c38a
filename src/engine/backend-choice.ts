// Which browser backend `auto` runs on, and why in words the page shows: WebGPU only on a hardware
// adapter that is not measured slower than WASM on this model's step. Pure: the facts come in.
import type { BackendName } from './runtime.js';

/** What the browser says about its WebGPU adapter (GPUAdapterInfo), or why there is none. */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Milliseconds of the same short piece of this model's step on each backend (after compiling). */
export interface Calibration {
  webgpuMs: number;
  wasmMs: number;
}

export interface BackendChoice {
  backend: Extract<BackendName, 'web-wasm' | 'web-webgpu'>;
  /** One sentence for the page: which backend runs and why. */
  reason: string;
  /** True when only a calibration can decide (a hardware adapter, not measured yet). */
  calibrate: boolean;
  /** For `auto` on WASM: why not WebGPU (the runtime's `fallbackReason`). */
  fallback?: string;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render|software/i;

/** The adapter's name as people know it, e.g. "nvidia ampere" or "google swiftshader". */
export function adapterName(a: AdapterFacts): string {
  const parts = [a.vendor, a.architecture, a.device, a.description].filter((s) => s && s.trim() !== '');
  return [...new Set(parts)].join(' ') || 'unnamed adapter';
}

/** Why this adapter is a CPU rasteriser (SwiftShader, llvmpipe, WARP…), or null for a real GPU. */
export function softwareAdapter(a: AdapterFacts): string | null {
  if (a.isFallbackAdapter === true) return `the WebGPU adapter (${adapterName(a)}) is a software fallback`;
  const name = [a.vendor, a.architecture, a.device, a.description].join(' ');
  if (SOFTWARE.test(name)) return `the WebGPU adapter (${adapterName(a)}) renders in software on the CPU`;
  return null;
}

/** `auto` on WASM, because `why`. */
export const wasm = (why: string): BackendChoice => ({
  backend: 'web-wasm',
  reason: `auto: WASM, because ${why}`,
  calibrate: false,
  fallback: why,
});

const ms = (x: number) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`;

/**
 * The decision. A forced backend is kept. For `auto`: no adapter or a software one → WASM; a
 * hardware adapter → WebGPU unless the calibration measured it slower than WASM; without a
 * calibration yet, `calibrate: true` asks for one (the backend given is the provisional WebGPU).
 */
export function chooseBackend(
  requested: BackendName | 'auto',
  adapter: AdapterFacts | { error: string },
  calibration?: Calibration,
): BackendChoice {
  if (requested === 'web-wasm')
    return { backend: 'web-wasm', reason: 'WASM chosen in the Backend menu', calibrate: false };
  if (requested === 'web-webgpu')
    return { backend: 'web-webgpu', reason: 'WebGPU chosen in the Backend menu', calibrate: false };
  if (requested === 'node-cpu')
    throw new Error("node-cpu is not a browser backend: choose 'auto', 'web-wasm' or 'web-webgpu'");
  if ('error' in adapter) return wasm(adapter.error);
  const soft = softwareAdapter(adapter);
  if (soft) return wasm(`${soft} and WASM is faster`);
  if (!calibration)
    return {
      backend: 'web-webgpu',
      reason: `auto: WebGPU on ${adapterName(adapter)} (not calibrated)`,
      calibrate: true,
    };
  const { webgpuMs, wasmMs } = calibration;
  if (!(webgpuMs <= wasmMs))
    return wasm(
      `WebGPU on ${adapterName(adapter)} measured slower on this model's step (${ms(webgpuMs)} vs ${ms(wasmMs)})`,
    );
  return {
    backend: 'web-webgpu',
    reason: `auto: WebGPU on ${adapterName(adapter)}, measured faster on this model's step (${ms(webgpuMs)} vs ${ms(wasmMs)} on WASM)`,
    calibrate: false,
  };
}
