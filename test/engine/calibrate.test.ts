// The calibration `auto` uses runs a real rollout + log-prob pass of the shipped policy and times it.
import { describe, expect, it } from 'vitest';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { Runtime } from '../../src/engine/runtime.js';
import { calibrateStep } from '../../src/model/calibrate.js';

describe('calibrateStep', () => {
  it('times a short rollout + log-probs of the weak checkpoint on node-cpu', async () => {
    const rt = await Runtime.create('node-cpu');
    const ck = await loadCheckpointDir('public/models/weak');
    const ms = await calibrateStep(rt, ck, { rows: 8, newTokens: 3 });
    expect(Number.isFinite(ms)).toBe(true);
    expect(ms).toBeGreaterThan(0);
  }, 120_000);
});
