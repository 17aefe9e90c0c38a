// The page's experiment presets: arms × seeds with names that say the seed, and runs paired by
// seed into the same findings `gcrl repro` judges.
import { describe, expect, it } from 'vitest';
import { latest, seedValues } from '../../app/experiments/pairing.js';
import { pageExperiments, seededArms } from '../../app/experiments/presets.js';
import { EXPERIMENTS, judge } from '../../src/cli/experiments.js';
import { preset } from '../../src/rl/config.js';

const base = { ...preset('gcrl'), seed: 7 };
const exp = pageExperiments(base).find((x) => x.id === 'denoising');
if (!exp) throw new Error('denoising preset missing');

describe('seededArms', () => {
  it('one seed keeps the arm labels; several give each arm every seed, seed by seed', () => {
    expect(seededArms(exp, 1).map((a) => [a.label, a.config.seed])).toEqual([
      ['r (Eq. 2)', 7],
      ['r + R_q (Eq. 4, m=1)', 7],
    ]);
    expect(seededArms(exp, 2).map((a) => [a.label, a.config.seed])).toEqual([
      ['r (Eq. 2) · seed 7', 7],
      ['r + R_q (Eq. 4, m=1) · seed 7', 7],
      ['r (Eq. 2) · seed 8', 8],
      ['r + R_q (Eq. 4, m=1) · seed 8', 8],
    ]);
  });
});

describe('seedValues', () => {
  const acc = 'eval/critic/acc';
  it('pairs runs by seed with their latest held-out value; missing arms or evaluations are NaN', () => {
    const arms = seededArms(exp, 3);
    const runs = arms.map((a, i) => ({ id: `r${i}`, name: a.label, config: a.config }));
    const rows: Record<string, Record<string, number>[]> = {
      r0: [{ [acc]: 0.5 }, { step: 1 }, { [acc]: 0.6 }],
      r1: [{ [acc]: 0.62 }],
      r2: [{ [acc]: 0.55 }],
      r3: [{ [acc]: 0.58 }],
      r4: [{ [acc]: 0.57 }],
      // r5 (Eq. 4 at seed 9) has no evaluation yet
    };
    const labels = exp.arms.map((a) => a.label);
    const { seeds, values } = seedValues(runs, rows, labels);
    expect(seeds).toEqual([7, 8, 9]);
    expect(values('r (Eq. 2)', acc)).toEqual([0.6, 0.55, 0.57]);
    expect(values('r + R_q (Eq. 4, m=1)', acc)).toEqual([0.62, 0.58, Number.NaN]);
    const [r] = judge(EXPERIMENTS.denoising as NonNullable<(typeof EXPERIMENTS)['denoising']>, values);
    expect(r?.effect.n).toBe(2);
    expect(r?.effect.mean).toBeCloseTo(0.025, 12);
    expect(() => values('nope', acc)).toThrow(/unknown arm 'nope' \(valid: r \(Eq. 2\)/);
  });

  it('a single-seed launch (plain labels) still pairs', () => {
    const runs = seededArms(exp, 1).map((a, i) => ({ id: `s${i}`, name: a.label, config: a.config }));
    const { values } = seedValues(runs, { s0: [{ x: 1 }], s1: [{ x: 2 }] }, [
      'r (Eq. 2)',
      'r + R_q (Eq. 4, m=1)',
    ]);
    expect(values('r + R_q (Eq. 4, m=1)', 'x')).toEqual([2]);
    expect(latest(undefined, 'x')).toBeNaN();
  });
});
