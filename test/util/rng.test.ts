// The seeded generator: a fixed stream per seed, and a Fisher–Yates shuffle that is a uniform,
// engine-independent permutation (no comparator sort), pinned to exact orders.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
    for (const x of xa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('shuffles in place into a permutation, the same one for the same seed', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const out = new Rng(7).shuffle(xs);
    expect(out).toBe(xs);
    expect([...out].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(out).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Rng(7).shuffle(Array.from({ length: 50 }, (_, i) => i))).toEqual(out);
    expect(new Rng(8).shuffle(Array.from({ length: 50 }, (_, i) => i))).not.toEqual(out);
    expect(new Rng(1).shuffle([])).toEqual([]);
    expect(new Rng(1).shuffle(['a'])).toEqual(['a']);
  });

  it('is Fisher–Yates over the stream: pinned to the swaps int(i + 1) draws', () => {
    // replay the algorithm by hand with a second generator of the same seed
    const ref = new Rng(123);
    const want = [0, 1, 2, 3, 4, 5];
    for (let i = want.length - 1; i > 0; i--) {
      const j = ref.int(i + 1);
      [want[i], want[j]] = [want[j] as number, want[i] as number];
    }
    const rng = new Rng(123);
    expect(rng.shuffle([0, 1, 2, 3, 4, 5])).toEqual(want);
    expect(rng.next()).toBe(ref.next()); // consumed exactly n − 1 draws
    // and a fixed literal, so a change to the generator or the loop shows up
    expect(new Rng(1).shuffle([0, 1, 2, 3, 4, 5, 6, 7])).toEqual([2, 1, 6, 7, 4, 3, 0, 5]);
  });

  it('gives every permutation of 3 items about equally often (a comparator sort does not)', () => {
    const rng = new Rng(2024);
    const counts = new Map<string, number>();
    const trials = 60_000;
    for (let t = 0; t < trials; t++) {
      const k = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // chi-square with 5 degrees of freedom; 20.5 is the 0.1% critical value
    const e = trials / 6;
    const chi2 = [...counts.values()].reduce((a, c) => a + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(20.5);
  });
});
