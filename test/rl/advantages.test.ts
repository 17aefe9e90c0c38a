// Advantage estimators on hand-computed groups, zero-variance handling, the mixed grouping, and GRPO checked
// against a plain loop reference.
import { describe, expect, it } from 'vitest';
import {
  ADVANTAGES,
  advantageFn,
  drGrpo,
  GRPO_EPS,
  groupedAdvantages,
  grpo,
  median,
  medianBaseline,
  mixedGroup,
  rloo,
  sampleStd,
  splitLike,
} from '../../src/rl/advantages.js';
import { Rng } from '../../src/util/rng.js';

const close = (got: number[][], want: number[][], digits = 6) => {
  expect(got.map((g) => g.length)).toEqual(want.map((g) => g.length));
  got.forEach((g, i) => {
    g.forEach((x, j) => {
      expect(x).toBeCloseTo(want[i]?.[j] as number, digits);
    });
  });
};

const s3 = 0.5 / (Math.sqrt(1 / 3) + GRPO_EPS); // [1,0,0,1]: mean 0.5, unbiased std sqrt(1/3)

describe('estimators on hand examples', () => {
  it('grpo uses the unbiased std', () => {
    close(grpo([[1, 0, 0, 1]])[0], [[s3, -s3, -s3, s3]]);
    const u = 0.35 / (0.35 + GRPO_EPS); // [0.7,0,0.35]: mean 0.35, unbiased std 0.35
    close(grpo([[0.7, 0, 0.35]])[0], [[u, -u, 0]], 10);
    close(grpo([[1, 1, 1]])[0], [[0, 0, 0]]);
    expect(sampleStd([0.7, 0, 0.35])).toBeCloseTo(0.35, 12);
  });

  it('drGrpo subtracts the mean only', () => {
    close(drGrpo([[1, 0, 0, 1]])[0], [[0.5, -0.5, -0.5, 0.5]]);
    close(drGrpo([[0.7, 0, 0.35]])[0], [[0.35, -0.35, 0]]);
    close(drGrpo([[1, 0, 0, 0, 1]])[0], [[0.6, -0.4, -0.4, -0.4, 0.6]]);
  });

  it('rloo subtracts the mean of the others', () => {
    close(rloo([[1, 0, 0, 1]])[0], [[2 / 3, -2 / 3, -2 / 3, 2 / 3]]);
    close(rloo([[0.7, 0, 0.35]])[0], [[0.525, -0.525, 0]]);
    close(rloo([[1, 1, 1]])[0], [[0, 0, 0]]);
  });

  it('median baseline: middle value, mean of the two middle ones for even n', () => {
    expect(median([0.7, 0, 0.35])).toBe(0.35);
    expect(median([1, 0, 0, 1])).toBe(0.5);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    close(medianBaseline([[1, 0, 0, 1]])[0], [[0.5, -0.5, -0.5, 0.5]]);
    close(medianBaseline([[0.7, 0, 0.35]])[0], [[0.35, -0.35, 0]]);
    close(medianBaseline([[1, 0, 0, 0, 1]])[0], [[1, 0, 0, 0, 1]]);
  });
});

describe('zero-variance groups', () => {
  const rewards = [[1, 1, 1], [1, 0, 0, 1], [0, 0], [0.7]];

  for (const [name, fn] of Object.entries(ADVANTAGES)) {
    it(`${name}: counted, zero advantage, kept unless skipped`, () => {
      const [a, m, kept] = fn(rewards);
      expect(a.map((g) => g.length)).toEqual([3, 4, 2, 1]);
      for (const g of [0, 2, 3]) expect(a[g]?.every((x) => x === 0)).toBe(true);
      expect(m['adv/zero_var_groups']).toBe(3);
      expect(m['adv/groups']).toBe(4);
      expect(kept).toEqual([true, true, true, true]);
      const [a2, m2, kept2] = fn(rewards, { skipZeroVariance: true });
      expect(kept2).toEqual([false, true, false, false]);
      expect(m2['adv/kept_groups']).toBe(1);
      expect(a2).toEqual(a);
      expect(m2['adv/mean']).toBeCloseTo(0, 12); // over kept groups only
    });
  }
});

describe('groupings', () => {
  it('mixed puts every reward in one group and returns the per-prompt shape', () => {
    const rewards = [
      [1, 0],
      [0.7, 0, 0.35],
    ];
    expect(mixedGroup(rewards)).toEqual([[1, 0, 0.7, 0, 0.35]]);
    const [a, m, kept] = groupedAdvantages(drGrpo, rewards, 'mixed');
    close(a, [
      [0.59, -0.41],
      [0.29, -0.41, -0.06],
    ]);
    expect(m['adv/mixed']).toBe(1);
    expect(kept).toEqual([true, true]);
    const [b, mb] = groupedAdvantages(drGrpo, rewards, 'per-prompt');
    close(b, [
      [0.5, -0.5],
      [0.35, -0.35, 0],
    ]);
    expect(mb['adv/mixed']).toBe(0);
  });

  it('a mixed group of equal rewards is skipped for every prompt', () => {
    expect(groupedAdvantages(grpo, [[1, 1], [1]], 'mixed', { skipZeroVariance: true })[2]).toEqual([
      false,
      false,
    ]);
  });

  it('splitLike inverts flattening and checks sizes', () => {
    expect(splitLike([1, 2, 3], [[0], [0, 0]])).toEqual([[1], [2, 3]]);
    expect(() => splitLike([1, 2], [[0], [0, 0]])).toThrow(/2 values for 3 slots/);
  });
});

describe('loop reference', () => {
  // plain nested loops, written independently of the implementation
  function grpoLoop(rewards: number[][]): number[][] {
    const out: number[][] = [];
    for (const r of rewards) {
      let sum = 0;
      for (const x of r) sum += x;
      const m = sum / r.length;
      let ss = 0;
      for (const x of r) ss += (x - m) * (x - m);
      const std = r.length > 1 ? Math.sqrt(ss / (r.length - 1)) : 0;
      const row: number[] = [];
      for (const x of r) row.push(std === 0 ? 0 : (x - m) / (std + GRPO_EPS));
      out.push(row);
    }
    return out;
  }
  function rlooLoop(rewards: number[][]): number[][] {
    return rewards.map((r) =>
      r.map((x, i) => {
        if (r.length < 2) return 0;
        let others = 0;
        for (let j = 0; j < r.length; j++) if (j !== i) others += r[j] as number;
        return x - others / (r.length - 1);
      }),
    );
  }

  it('grpo and rloo match the loops on random groups', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 50; t++) {
      const rewards = Array.from({ length: 1 + rng.int(6) }, () =>
        Array.from({ length: 1 + rng.int(8) }, () => (rng.next() < 0.5 ? rng.int(2) : rng.next())),
      );
      close(grpo(rewards)[0], grpoLoop(rewards), 10);
      close(rloo(rewards)[0], rlooLoop(rewards), 10);
      // RLOO is n/(n−1) times Dr. GRPO
      const d = drGrpo(rewards)[0];
      close(
        rloo(rewards)[0],
        d.map((g) => g.map((x) => (g.length > 1 ? (x * g.length) / (g.length - 1) : 0))),
        10,
      );
    }
  });
});

describe('lookup', () => {
  it('returns the estimator and lists names on error', () => {
    expect(advantageFn('median')).toBe(medianBaseline);
    expect(() => advantageFn('ppo')).toThrow(/grpo, drGrpo, rloo, median/);
  });
});

describe('reward scale and grouping', () => {
  it('per-prompt GRPO cancels a truth-dependent reward scale; the mixed grouping keeps it', () => {
    // Critiques of one correct response (group 1) and of one wrong response (group 2).
    const sym = [
      [0.7, 0, 0.7, 0.7, 0],
      [0.7, 0.7, 0, 0, 0],
    ];
    const shaped = [sym[0]?.map((r) => (r ? 0.6 : 0)) ?? [], sym[1]?.map((r) => (r ? 0.8 : 0)) ?? []];
    const near = (a: number[][], b: number[][]) =>
      a.flat().every((x, i) => Math.abs(x - (b.flat()[i] as number)) < 1e-6);
    expect(
      near(groupedAdvantages(grpo, sym, 'per-prompt')[0], groupedAdvantages(grpo, shaped, 'per-prompt')[0]),
    ).toBe(true);
    expect(near(groupedAdvantages(grpo, sym, 'mixed')[0], groupedAdvantages(grpo, shaped, 'mixed')[0])).toBe(
      false,
    );
  });
});
