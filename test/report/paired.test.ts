// The paired statistics behind every reproduction verdict: Student t quantiles against published
// tables, CDF/quantile round trips for df 1..60, and the verdict rule's three outcomes.
import { describe, expect, it } from 'vitest';
import { formatEffect, incompleteBeta, pairedEffect, tCdf, tQuantile } from '../../src/report/paired.js';

describe('Student t', () => {
  it('matches published two-sided 95% critical values', () => {
    const table: [number, number][] = [
      [1, 12.7062],
      [2, 4.3027],
      [3, 3.1824],
      [4, 2.7764],
      [5, 2.5706],
      [9, 2.2622],
      [10, 2.2281],
      [19, 2.093],
      [30, 2.0423],
      [60, 2.0003],
    ];
    for (const [df, q] of table) expect(tQuantile(0.975, df), `df ${df}`).toBeCloseTo(q, 3);
    expect(tQuantile(0.995, 4)).toBeCloseTo(4.6041, 3);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
  });

  it('df 1 is the Cauchy distribution and df 2 has a closed form', () => {
    for (const p of [0.6, 0.9, 0.975, 0.999]) {
      expect(tQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 6);
      expect(tQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 6);
    }
  });

  it('quantile inverts the CDF for df 1..60 and is symmetric', () => {
    for (let df = 1; df <= 60; df++) {
      for (const p of [0.025, 0.3, 0.975]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 9);
      expect(tQuantile(0.025, df)).toBeCloseTo(-tQuantile(0.975, df), 9);
      expect(tQuantile(0.975, df)).toBeLessThan(tQuantile(0.975, Math.max(1, df - 1)) + 1e-12);
    }
  });

  it('incomplete beta: I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.7, 3, 1)).toBeCloseTo(0.343, 12);
  });

  it('refuses p outside (0, 1) and df ≤ 0', () => {
    expect(() => tQuantile(1, 3)).toThrow(/p must be/);
    expect(() => tQuantile(0.5, 0)).toThrow(/df must be/);
  });
});

describe('pairedEffect', () => {
  it('computes the mean difference and its t-interval over paired seeds', () => {
    const a = [0.6, 0.62, 0.65, 0.61, 0.64];
    const b = [0.58, 0.59, 0.6, 0.6, 0.61];
    const e = pairedEffect(a, b, 1);
    const d = [0.02, 0.03, 0.05, 0.01, 0.03];
    const mean = d.reduce((s, x) => s + x) / 5;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / 4);
    expect(e.n).toBe(5);
    expect(e.mean).toBeCloseTo(mean, 12);
    expect(e.sd).toBeCloseTo(sd, 12);
    expect(e.hi - e.mean).toBeCloseTo((2.7764451 * sd) / Math.sqrt(5), 6);
    expect(e.verdict).toBe('reproduces');
    expect(pairedEffect(a, b, -1).verdict).toBe('opposite');
  });

  it('identical arms are no evidence: inconclusive, never "reproduces"', () => {
    const x = [0.6, 0.7, 0.65];
    const e = pairedEffect(x, x, 1);
    expect([e.mean, e.lo, e.hi]).toEqual([0, 0, 0]);
    expect(e.verdict).toBe('inconclusive');
  });

  it('pairs by seed: a shared seed effect cancels where unpaired spreads would overlap', () => {
    // seeds differ by 10 points, arm A is always exactly 1 point (±0.2) above B
    const b = [0.5, 0.6, 0.7, 0.55, 0.65];
    const a = b.map((x, i) => x + 0.01 + (i % 2 ? 0.002 : -0.002));
    expect(pairedEffect(a, b, 1).verdict).toBe('reproduces');
  });

  it('an interval that straddles 0 is inconclusive; below 2 seeds there is no interval', () => {
    expect(pairedEffect([0.6, 0.5, 0.7], [0.55, 0.6, 0.6], 1).verdict).toBe('inconclusive');
    const one = pairedEffect([0.7], [0.5], 1);
    expect(one).toMatchObject({ n: 1, verdict: 'inconclusive' });
    expect(one.mean).toBeCloseTo(0.2, 12);
    expect(Number.isNaN(one.lo)).toBe(true);
  });

  it('leaves out seeds where either arm is missing, and refuses unequal lengths', () => {
    const e = pairedEffect([0.6, Number.NaN, 0.62, 0.64], [0.5, 0.5, 0.51, Number.NaN], 1);
    expect(e.n).toBe(2);
    expect(() => pairedEffect([1, 2], [1], 1)).toThrow(/2 A values but 1 B/);
  });

  it('formats in points with signs', () => {
    expect(formatEffect(pairedEffect([0.6, 0.62, 0.64], [0.58, 0.59, 0.6], 1))).toMatch(
      /^\+3\.0 \[[+−]\d+\.\d, \+\d+\.\d\]$/,
    );
    expect(formatEffect(pairedEffect([0.4], [0.5], 1))).toBe('−10.0 [n = 1]');
  });
});
