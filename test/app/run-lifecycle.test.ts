// Honest run states: what a saved run is after a reload, checkpoint names, the test hook's gate and
// which worker results are transferred.
import { describe, expect, it } from 'vitest';
import { FINAL, LIVE, restoredStatus, STATUS_HELP } from '../../app/runs/lifecycle';
import { wantsTestHook } from '../../app/testHookFlag';
import { checkpointName } from '../../workers/run-protocol';
import { transferables } from '../../workers/serve';

describe('restoredStatus', () => {
  it('marks runs that were live as interrupted', () => {
    for (const s of ['running', 'paused', 'pausing', 'stopping', 'interrupted', 'restored'])
      expect(restoredStatus(s), s).toBe('interrupted');
  });
  it('keeps final runs as they were', () => {
    for (const s of ['done', 'stopped', 'error'] as const) expect(restoredStatus(s)).toBe(s);
  });
  it('keeps never-started runs startable', () => {
    expect(restoredStatus('idle')).toBe('idle');
    expect(restoredStatus('queued')).toBe('queued');
    expect(restoredStatus('creating')).toBe('idle'); // no step taken: it starts from its base again
  });
  it('treats an unknown stored status as interrupted, never as startable', () => {
    expect(restoredStatus('bogus')).toBe('interrupted');
  });
  it('interrupted is final and explained; final and live never overlap', () => {
    expect(FINAL.has('interrupted')).toBe(true);
    expect(STATUS_HELP.interrupted).toMatch(/Duplicate/);
    for (const s of FINAL) expect(LIVE.has(s)).toBe(false);
  });
});

describe('checkpoint names', () => {
  it('name the step the weights are from', () => {
    expect(checkpointName('demo', 35)).toBe('demo-step35');
    expect(checkpointName('demo', 0)).toBe('demo-step0');
  });
});

describe('test hook gate', () => {
  it('is off unless asked for', () => {
    expect(wantsTestHook('', undefined)).toBe(false);
    expect(wantsTestHook('?backend=web-wasm&autostart=0', undefined)).toBe(false);
    expect(wantsTestHook('?testhook=0', '0')).toBe(false);
    expect(wantsTestHook('?testhook=true', undefined)).toBe(false);
  });
  it('is on with ?testhook=1 or the build flag', () => {
    expect(wantsTestHook('?backend=web-wasm&testhook=1', undefined)).toBe(true);
    expect(wantsTestHook('', '1')).toBe(true);
  });
});

describe('transferables', () => {
  it('hands over bare bytes and a bytes field, nothing else', () => {
    const a = new Uint8Array(4);
    expect(transferables(a)).toEqual([a.buffer]);
    const b = new Uint8Array(2);
    expect(transferables({ name: 'x', step: 1, bytes: b })).toEqual([b.buffer]);
    expect(transferables(null)).toEqual([]);
    expect(transferables({ bytes: [1, 2] })).toEqual([]);
    expect(transferables(7)).toEqual([]);
  });
});
