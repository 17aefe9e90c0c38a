// Host-side sampling: greedy, top-k, top-p and temperature choose the right tokens with the right frequencies.
import { describe, expect, it } from 'vitest';
import { logSoftmax, type SamplingOptions, sampleToken } from '../../src/model/sample.js';
import { Rng } from '../../src/util/rng.js';

const logits = [1, 3, 2, 0.5]; // order by probability: 1, 2, 0, 3
const opts = (o: Partial<SamplingOptions>): SamplingOptions => ({ temperature: 1, topK: 0, topP: 1, ...o });

const softmax = (xs: readonly number[]): number[] => Array.from(logSoftmax(xs), Math.exp);

function counts(l: readonly number[], o: SamplingOptions, n: number, seed = 1): number[] {
  const rng = new Rng(seed);
  const c = new Array<number>(l.length).fill(0);
  for (let i = 0; i < n; i++) c[sampleToken(l, o, rng).token]++;
  return c;
}

/** Each frequency lies within 3 standard errors (+ a hair) of its probability. */
function expectFrequencies(c: readonly number[], p: readonly number[]): void {
  const n = c.reduce((a, b) => a + b, 0);
  c.forEach((k, i) => {
    const q = p[i] as number;
    const se = Math.sqrt((q * (1 - q)) / n);
    expect(Math.abs(k / n - q)).toBeLessThanOrEqual(3 * se + 1e-9);
  });
}

describe('logSoftmax', () => {
  it('matches a hand computation and normalises', () => {
    const z = Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2) + Math.exp(0.5));
    const lp = logSoftmax(logits);
    logits.forEach((x, i) => {
      expect(lp[i]).toBeCloseTo(x - z, 12);
    });
    expect(softmax(logits).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is stable for large logits', () => {
    const lp = logSoftmax([1000, 1000]);
    expect(lp[0]).toBeCloseTo(-Math.LN2, 12);
    expect(lp[1]).toBeCloseTo(-Math.LN2, 12);
  });
});

describe('sampleToken', () => {
  it('is greedy at temperature 0, returning the untempered log-prob of the argmax', () => {
    const rng = new Rng(3);
    for (const o of [opts({ temperature: 0 }), opts({ temperature: 0, topK: 3, topP: 0.2 })]) {
      const r = sampleToken(logits, o, rng);
      expect(r.token).toBe(1);
      expect(r.logp).toBeCloseTo(logSoftmax(logits)[1] as number, 12);
    }
  });

  it('breaks greedy ties towards the lower index', () => {
    expect(sampleToken([0, 2, 2, 1], opts({ temperature: 0 }), new Rng(1)).token).toBe(1);
  });

  it('topK = 1 is greedy at any temperature', () => {
    const rng = new Rng(5);
    for (const temperature of [0.5, 1, 3]) {
      for (let i = 0; i < 50; i++) {
        const r = sampleToken(logits, opts({ temperature, topK: 1 }), rng);
        expect(r.token).toBe(1);
        expect(r.logp).toBeCloseTo(logSoftmax(logits)[1] as number, 12);
      }
    }
  });

  it('topK = 2 never leaves the top two, in proportion to their renormalised probabilities', () => {
    const c = counts(logits, opts({ topK: 2 }), 2000, 7);
    expect(c[0]).toBe(0);
    expect(c[3]).toBe(0);
    const p = softmax(logits);
    const top = (p[1] as number) + (p[2] as number);
    expectFrequencies(c, [0, (p[1] as number) / top, (p[2] as number) / top, 0]);
  });

  it('topP = 0.5 keeps only the nucleus', () => {
    // Near-uniform: p ≈ [0.22, 0.24, 0.26, 0.29]; the smallest set with mass ≥ 0.5 is {3, 2}.
    const flat = [0, 0.1, 0.2, 0.3];
    const p = softmax(flat);
    expect((p[3] as number) + (p[2] as number)).toBeGreaterThanOrEqual(0.5);
    expect(p[3] as number).toBeLessThan(0.5);
    const c = counts(flat, opts({ topP: 0.5 }), 4000, 11);
    expect(c[0]).toBe(0);
    expect(c[1]).toBe(0);
    const m = (p[2] as number) + (p[3] as number);
    expectFrequencies(c, [0, 0, (p[2] as number) / m, (p[3] as number) / m]);
  });

  it('topP keeps a single token when it alone holds the mass', () => {
    // p[1] ≈ 0.63 ≥ 0.5.
    expect(counts(logits, opts({ topP: 0.5 }), 500, 2)).toEqual([0, 500, 0, 0]);
  });

  it('matches softmax frequencies at temperature 1 (20000 draws)', () => {
    expectFrequencies(counts(logits, opts({}), 20000, 13), softmax(logits));
  });

  it('matches softmax(logits / T) at temperature 2', () => {
    expectFrequencies(counts(logits, opts({ temperature: 2 }), 20000, 17), softmax(logits.map((x) => x / 2)));
  });

  it('always returns the untempered log-softmax of the chosen token', () => {
    const lp = logSoftmax(logits);
    const rng = new Rng(19);
    for (const o of [
      opts({ temperature: 0.3 }),
      opts({ temperature: 2.5, topK: 3 }),
      opts({ temperature: 1.5, topP: 0.7 }),
      opts({ temperature: 0.7, topK: 2, topP: 0.9 }),
    ]) {
      for (let i = 0; i < 200; i++) {
        const r = sampleToken(logits, o, rng);
        expect(r.logp).toBe(lp[r.token]);
      }
    }
  });

  it('temperature 1 without top-k/top-p draws exactly what the sorted general path draws', () => {
    // topK = V keeps every token but takes the general (sorted) path: the same uniform must pick the
    // same token, ties included (logits rounded to 0.5 make many), so rollouts are unchanged.
    const rows = new Rng(23);
    const [fast, sorted] = [new Rng(29), new Rng(29)];
    let agree = 0;
    for (let r = 0; r < 3000; r++) {
      const v = 2 + rows.int(30);
      const scale = [0.5, 2, 8][r % 3] as number;
      const row = Array.from({ length: v }, () => Math.round(scale * 4 * (rows.next() - 0.5)) / 2);
      const a = sampleToken(row, opts({}), fast);
      const b = sampleToken(row, opts({ topK: v }), sorted);
      expect(a).toEqual(b);
      agree++;
    }
    expect(agree).toBe(3000);
  });

  it('gives the same draws for the same seed, and other draws for another', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 64 }, () => sampleToken(logits, opts({ temperature: 1.3 }), rng).token);
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(43)).not.toEqual(draw(42));
  });
});
