// The SFT learning-rate schedule: linear warm-up to the peak, then cosine decay to the floor.
import { describe, expect, it } from 'vitest';
import { ADAMW_DEFAULTS } from '../../src/engine/optim.js';
import { lrAt, type SftOptions } from '../../src/model/sft.js';

const o: SftOptions = { lr: 1e-2, warmup: 10, totalSteps: 110, minLrRatio: 0.1, adamw: ADAMW_DEFAULTS };

describe('lrAt', () => {
  it('warms up linearly to the peak', () => {
    expect(lrAt(o, 0)).toBe(0);
    expect(lrAt(o, 1)).toBeCloseTo(1e-3, 12);
    expect(lrAt(o, 5)).toBeCloseTo(5e-3, 12);
    expect(lrAt(o, 10)).toBeCloseTo(1e-2, 12);
  });

  it('follows a cosine from the peak to minLrRatio·lr at totalSteps, then stays there', () => {
    expect(lrAt(o, 60)).toBeCloseTo(1e-2 * (0.1 + 0.9 * 0.5), 12); // halfway
    expect(lrAt(o, 35)).toBeCloseTo(1e-2 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4))), 12);
    expect(lrAt(o, 110)).toBeCloseTo(1e-3, 12);
    expect(lrAt(o, 500)).toBeCloseTo(1e-3, 12);
  });

  it('never exceeds the peak and decays monotonically after warm-up', () => {
    let prev = lrAt(o, o.warmup);
    for (let s = 0; s <= 200; s++) expect(lrAt(o, s)).toBeLessThanOrEqual(o.lr + 1e-15);
    for (let s = o.warmup + 1; s <= o.totalSteps; s++) {
      const lr = lrAt(o, s);
      expect(lr).toBeLessThan(prev);
      expect(lr).toBeGreaterThanOrEqual(o.lr * o.minLrRatio - 1e-15);
      prev = lr;
    }
  });

  it('works without warm-up', () => {
    const w0 = { ...o, warmup: 0, totalSteps: 100 };
    expect(lrAt(w0, 1)).toBeCloseTo(1e-2 * (0.1 + 0.45 * (1 + Math.cos(Math.PI / 100))), 12);
    expect(lrAt(w0, 100)).toBeCloseTo(1e-3, 12);
  });
});
