// The toy transformer learns the reversal task on node-cpu, and training is deterministic per seed.
import { beforeAll, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime.js';
import { trainToy } from '../../src/toy/train.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

it('learns to reverse digits: mean loss of the last 10 of 200 steps < 0.1', async () => {
  const r = await trainToy(rt, { steps: 200, seed: 1 });
  expect(r.losses).toHaveLength(200);
  expect(r.gradNorms).toHaveLength(200);
  // At init the model guesses uniformly over the vocab (ln 13 ≈ 2.56); ln 10 ≈ 2.3 would be
  // "knows the digits, not their order". It reaches ~0.005 by step 200.
  expect(r.losses[0]).toBeGreaterThan(2);
  expect(mean(r.losses.slice(-10))).toBeLessThan(0.1);
  expect(r.gradNorms.every(Number.isFinite)).toBe(true);
  // 17 parameters, each with its AdamW m and v, stay resident; none on a GPU under node-cpu.
  expect(r.resident).toEqual({ tensors: 51, onGpu: 0 });
});

it('is deterministic for a seed and differs across seeds', async () => {
  const a = await trainToy(rt, { steps: 60, seed: 3 });
  const b = await trainToy(rt, { steps: 60, seed: 3 });
  const c = await trainToy(rt, { steps: 10, seed: 4 });
  expect(b.losses).toEqual(a.losses);
  expect(b.gradNorms).toEqual(a.gradNorms);
  expect(c.losses).not.toEqual(a.losses.slice(0, 10));
});
