// The paper's rewards on hand-computed cases: every preset cell, Eq. 3 (and its unbiasedness, analytically and
// by Monte Carlo through random sampling), Eq. 4, the running mean of p, and Appendix C's predictions.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/lm/formats.js';
import { randomSampling } from '../../src/rl/critique-inputs.js';
import {
  critiqueReward,
  critiqueRewards,
  denoisedReward,
  labelWeight,
  predictedBias,
  REWARD_PRESETS,
  RunningMean,
  responseReward,
  responseRewards,
  rewardPreset,
  WEIGHT_EPS,
  weightedCritiqueReward,
  weightedCritiqueRewards,
  withDenoise,
} from '../../src/rl/rewards.js';
import { Rng } from '../../src/util/rng.js';

const VERDICTS: Verdict[] = ['correct', 'wrong', 'none'];

describe('Eq. 1 and the reward tables', () => {
  it('scores responses 1/0', () => {
    expect(responseReward(true)).toBe(1);
    expect(responseReward(false)).toBe(0);
    const [r, m] = responseRewards([true, false, false, true]);
    expect(r).toEqual([1, 0, 0, 1]);
    expect(m['reward/response_mean']).toBe(0.5);
  });

  // [truth, verdict] → expected reward per preset
  const cells: [boolean, Verdict, Record<string, number>][] = [
    [true, 'correct', { symmetric: 0.7, catchIncorrect: 0.6, acceptCorrect: 0.8 }],
    [true, 'wrong', { symmetric: 0, catchIncorrect: 0, acceptCorrect: 0 }],
    [false, 'wrong', { symmetric: 0.7, catchIncorrect: 0.8, acceptCorrect: 0.6 }],
    [false, 'correct', { symmetric: 0, catchIncorrect: 0, acceptCorrect: 0 }],
    [true, 'none', { symmetric: 0, catchIncorrect: 0, acceptCorrect: 0 }],
    [false, 'none', { symmetric: 0, catchIncorrect: 0, acceptCorrect: 0 }],
  ];
  for (const [truth, verdict, want] of cells) {
    for (const [name, value] of Object.entries(want)) {
      it(`${name}: truth=${truth} verdict=${verdict} → ${value}`, () => {
        expect(critiqueReward(rewardPreset(name), truth, verdict)).toBe(value);
      });
    }
  }

  it('uses every cell of a user table, penalties and missing verdict included', () => {
    const t = { correctRight: 1, correctWrong: -0.2, wrongRight: 2, wrongWrong: -0.3, missing: -0.5 };
    expect(critiqueReward(t, true, 'correct')).toBe(1);
    expect(critiqueReward(t, true, 'wrong')).toBe(-0.2);
    expect(critiqueReward(t, false, 'wrong')).toBe(2);
    expect(critiqueReward(t, false, 'correct')).toBe(-0.3);
    expect(critiqueReward(t, false, 'none')).toBe(-0.5);
  });

  it('batch version reports right rate, verdict rate, label ratio, alpha and beta', () => {
    const [r, m] = critiqueRewards(
      REWARD_PRESETS.symmetric,
      [true, true, false, false],
      ['correct', 'wrong', 'wrong', 'none'],
    );
    expect(r).toEqual([0.7, 0, 0.7, 0]);
    expect(m).toMatchObject({
      'critic/right_rate': 0.5,
      'critic/verdict_rate': 0.75,
      'critic/label_ratio': 0.5,
      'critic/alpha': 0.5,
      'critic/beta': 0.5,
    });
    expect(m['reward/critique_mean']).toBeCloseTo(0.35, 12);
  });

  it('preset lookup returns a copy and its error lists the names', () => {
    const t = rewardPreset('symmetric');
    t.correctRight = 9;
    expect(REWARD_PRESETS.symmetric.correctRight).toBe(0.7);
    expect(() => rewardPreset('nope')).toThrow(/symmetric, catchIncorrect, acceptCorrect/);
  });
});

const SYM = REWARD_PRESETS.symmetric;

describe('Eq. 3 weighted reward', () => {
  it('pays 0.35/p and 0.35/(1-p) for right verdicts with the symmetric table, 0 otherwise', () => {
    expect(weightedCritiqueReward(SYM, true, 'correct', 0.25)).toBeCloseTo(1.4, 12);
    expect(weightedCritiqueReward(SYM, false, 'wrong', 0.25)).toBeCloseTo(0.35 / 0.75, 12);
    expect(weightedCritiqueReward(SYM, true, 'wrong', 0.25)).toBe(0);
    expect(weightedCritiqueReward(SYM, false, 'correct', 0.25)).toBe(0);
    expect(weightedCritiqueReward(SYM, true, 'none', 0.25)).toBe(0);
    expect(weightedCritiqueReward(SYM, true, 'correct', 0.5)).toBeCloseTo(0.7, 12);
    expect(labelWeight(true, 0.25)).toBe(2);
    expect(labelWeight(false, 0.25)).toBeCloseTo(2 / 3, 12);
  });

  it('uses the reward table: right verdicts table/(2p), table/(2(1−p)); penalties and missing scale with the label', () => {
    // Eq. 5 at p = 0.2: 0.6/0.4 = 1.5 on a correct response, 0.8/1.6 = 0.5 on a wrong one
    const eq5 = REWARD_PRESETS.catchIncorrect;
    expect(weightedCritiqueReward(eq5, true, 'correct', 0.2)).toBeCloseTo(1.5, 12);
    expect(weightedCritiqueReward(eq5, false, 'wrong', 0.2)).toBeCloseTo(0.5, 12);
    // Eq. 6 at p = 0.2: 0.8/0.4 = 2, 0.6/1.6 = 0.375
    const eq6 = REWARD_PRESETS.acceptCorrect;
    expect(weightedCritiqueReward(eq6, true, 'correct', 0.2)).toBeCloseTo(2, 12);
    expect(weightedCritiqueReward(eq6, false, 'wrong', 0.2)).toBeCloseTo(0.375, 12);
    // a table with penalties and a missing-verdict reward, p = 0.2 (weights 2.5 and 0.625)
    const t = { correctRight: 1, correctWrong: -0.4, wrongRight: 0.8, wrongWrong: -0.8, missing: -0.2 };
    expect(weightedCritiqueReward(t, true, 'correct', 0.2)).toBeCloseTo(2.5, 12);
    expect(weightedCritiqueReward(t, true, 'wrong', 0.2)).toBeCloseTo(-1, 12);
    expect(weightedCritiqueReward(t, true, 'none', 0.2)).toBeCloseTo(-0.5, 12);
    expect(weightedCritiqueReward(t, false, 'wrong', 0.2)).toBeCloseTo(0.5, 12);
    expect(weightedCritiqueReward(t, false, 'correct', 0.2)).toBeCloseTo(-0.5, 12);
    expect(weightedCritiqueReward(t, false, 'none', 0.2)).toBeCloseTo(-0.125, 12);
  });

  it('clamps p into [eps, 1 - eps]', () => {
    expect(weightedCritiqueReward(SYM, true, 'correct', 0)).toBeCloseTo(0.35 / WEIGHT_EPS, 9);
    expect(weightedCritiqueReward(SYM, false, 'wrong', 1)).toBeCloseTo(0.35 / WEIGHT_EPS, 9);
    expect(Number.isFinite(weightedCritiqueReward(SYM, false, 'wrong', 1.5))).toBe(true);
  });

  it('is unbiased analytically: E over labels with ratio p is the balanced value, for every table, p, α, β', () => {
    const grid = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1];
    const tables = [
      SYM,
      REWARD_PRESETS.catchIncorrect,
      REWARD_PRESETS.acceptCorrect,
      { correctRight: 1, correctWrong: -0.4, wrongRight: 0.8, wrongWrong: -0.8, missing: 0 },
    ];
    for (const table of tables) {
      for (const p of [0.05, 0.1, 0.3, 0.45, 0.5, 0.8, 0.95]) {
        for (const alpha of grid) {
          for (const beta of grid) {
            // P(truth, verdict); the critic always gives a verdict here
            const cases: [boolean, Verdict, number][] = [
              [true, 'correct', p * alpha],
              [true, 'wrong', p * (1 - alpha)],
              [false, 'wrong', (1 - p) * beta],
              [false, 'correct', (1 - p) * (1 - beta)],
            ];
            const weighted = cases.reduce(
              (a, [t, v, pr]) => a + pr * weightedCritiqueReward(table, t, v, p),
              0,
            );
            const plain = cases.reduce((a, [t, v, pr]) => a + pr * critiqueReward(table, t, v), 0);
            const pred = predictedBias({ p, alpha, beta }, table);
            expect(weighted).toBeCloseTo(pred.weighted, 10);
            expect(plain).toBeCloseTo(pred.unweighted, 10);
            if (table === SYM) expect(weighted).toBeCloseTo(0.7 * ((alpha + beta) / 2), 10);
          }
        }
      }
    }
  });

  it('is unbiased by Monte Carlo through random sampling (seeded)', () => {
    const rng = new Rng(7);
    for (const [p, alpha, beta] of [
      [0.1, 0.8, 0.6],
      [0.3, 0.4, 0.9],
      [0.7, 0.9, 0.2],
    ] as const) {
      const weighted: number[] = [];
      const plain: number[] = [];
      for (let step = 0; step < 3000; step++) {
        const groups = Array.from({ length: 8 }, (_, q) =>
          Array.from({ length: 5 }, (_, i) => ({ questionId: q, responseId: i, ok: rng.next() < p })),
        );
        const [pairs] = randomSampling(groups, 16, rng);
        const truths = pairs.map((x) => x.ok);
        const verdicts = truths.map((t): Verdict => {
          const right = rng.next() < (t ? alpha : beta);
          return t === right ? 'correct' : 'wrong';
        });
        weighted.push(...weightedCritiqueRewards(SYM, truths, verdicts, p)[0]);
        plain.push(...critiqueRewards(SYM, truths, verdicts)[0]);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const pred = predictedBias({ p, alpha, beta });
      expect(Math.abs(mean(weighted) - pred.weighted)).toBeLessThan(0.02);
      expect(Math.abs(mean(plain) - pred.unweighted)).toBeLessThan(0.01);
      // and the unweighted reward really is biased away from the balanced value here
      expect(Math.abs(pred.unweighted - pred.weighted)).toBeGreaterThan(0.05);
    }
  });

  it('batch version reports weights and the balanced value from measured α, β', () => {
    const [r, m] = weightedCritiqueRewards(
      SYM,
      [true, false, false, false],
      ['correct', 'wrong', 'correct', 'none'],
      0.25,
    );
    expect(r[0]).toBeCloseTo(1.4, 12);
    expect(r[1]).toBeCloseTo(0.35 / 0.75, 12);
    expect(r.slice(2)).toEqual([0, 0]);
    expect(m['reward/weight_correct']).toBeCloseTo(1.4, 12);
    expect(m['reward/weight_wrong']).toBeCloseTo(0.35 / 0.75, 12);
    expect(m['critic/alpha']).toBe(1);
    expect(m['critic/beta']).toBeCloseTo(1 / 3, 12);
    expect(m['reward/balanced_value']).toBeCloseTo((0.7 * (1 + 1 / 3)) / 2, 12);
  });

  it('batch version scales by the table: Eq. 6 at p = 0.4', () => {
    const [r, m] = weightedCritiqueRewards(
      REWARD_PRESETS.acceptCorrect,
      [true, true, false],
      ['correct', 'wrong', 'wrong'],
      0.4,
    );
    expect(r[0]).toBeCloseTo(0.8 / 0.8, 12);
    expect(r[1]).toBe(0);
    expect(r[2]).toBeCloseTo(0.6 / 1.2, 12);
    expect(m['reward/weight_correct']).toBeCloseTo(1, 12);
    expect(m['reward/weight_wrong']).toBeCloseTo(0.5, 12);
    expect(m['reward/balanced_value']).toBeCloseTo((0.4 + 0.6) / 2, 12);
  });
});

describe('Eq. 4 denoised reward', () => {
  it('pays 0.1·k/m for "correct", 0.7·k/m for "wrong", 0 without a verdict', () => {
    expect(denoisedReward('correct', 1, 1)).toBeCloseTo(0.1, 12);
    expect(denoisedReward('wrong', 1, 1)).toBeCloseTo(0.7, 12);
    expect(denoisedReward('wrong', 1, 2)).toBeCloseTo(0.35, 12);
    expect(denoisedReward('correct', 3, 4)).toBeCloseTo(0.075, 12);
    expect(denoisedReward('wrong', 0, 3)).toBe(0);
    expect(denoisedReward('none', 2, 2)).toBe(0);
  });

  it('rejects m < 1 and k outside 0..m', () => {
    expect(() => denoisedReward('wrong', 0, 0)).toThrow(/m must be/);
    expect(() => denoisedReward('wrong', 2, 1)).toThrow(/k must be in 0\.\.1/);
  });

  it('adds R_q(c) to any base critique reward', () => {
    const [r, m] = withDenoise([0.7, 0, 0.7, 0], ['correct', 'wrong', 'wrong', 'none'], [1, 0, 2, 2], 2);
    expect(r[0]).toBeCloseTo(0.75, 12);
    expect(r[1]).toBe(0);
    expect(r[2]).toBeCloseTo(1.4, 12);
    expect(r[3]).toBe(0);
    expect(m['reward/refine_acc']).toBeCloseTo(5 / 8, 12);
    for (const v of VERDICTS) expect(withDenoise([0.5], [v], [0], 1)[0][0]).toBe(0.5);
  });
});

describe('RunningMean and Appendix C', () => {
  it('EMA over batch means, the first batch setting it outright', () => {
    const rm = new RunningMean({ momentum: 0.9 });
    expect(rm.value).toBe(0.5);
    expect(rm.update([1, 1, 0, 0])).toBe(0.5);
    expect(rm.update([1, 1])).toBeCloseTo(0.55, 12);
    expect(rm.update([])).toBeCloseTo(0.55, 12);
    expect(rm.count).toBe(6);
  });

  it('window mean over the last W values', () => {
    const rm = new RunningMean({ window: 3, initial: 0.2 });
    expect(rm.value).toBe(0.2);
    expect(rm.update([1, 1, 1, 0])).toBeCloseTo(2 / 3, 12);
    expect(rm.update(0)).toBeCloseTo(1 / 3, 12);
  });

  it('rejects bad options', () => {
    expect(() => new RunningMean({ momentum: 1 })).toThrow(/momentum/);
    expect(() => new RunningMean({ window: 0 })).toThrow(/window/);
  });

  it('predicts the bias of unweighted sampling', () => {
    const b = predictedBias({ p: 0.1, alpha: 0.6, beta: 0.8 });
    expect(b.unweighted).toBeCloseTo(0.7 * (0.06 + 0.72), 12);
    expect(b.weighted).toBeCloseTo(0.49, 12);
    expect(b.pull).toBeCloseTo(-0.4, 12);
    // at p = 1/2 the two agree
    const e = predictedBias({ p: 0.5, alpha: 0.3, beta: 0.9 });
    expect(e.unweighted).toBeCloseTo(e.weighted, 12);
    // Eq. 5's table: E[R|correct] = 0.6·0.6 = 0.36, E[R|wrong] = 0.8·0.8 = 0.64
    const s = predictedBias({ p: 0.1, alpha: 0.6, beta: 0.8 }, REWARD_PRESETS.catchIncorrect);
    expect(s.unweighted).toBeCloseTo(0.1 * 0.36 + 0.9 * 0.64, 12);
    expect(s.weighted).toBeCloseTo(0.5, 12);
  });
});
