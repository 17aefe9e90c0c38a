// Settings that have no effect under the others: the notes each config gets, and the claims behind
// the reward ones checked against the real reward and advantage functions.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/lm/formats.js';
import { sampleToken } from '../../src/model/sample.js';
import { groupedAdvantages, grpo } from '../../src/rl/advantages.js';
import { preset, type TrainConfig } from '../../src/rl/config.js';
import {
  groupingSummary,
  inertSettings,
  notesFor,
  perPromptEquivalentToEq2,
  sequencesPerStep,
} from '../../src/rl/inert.js';
import {
  critiqueRewards,
  REWARD_PRESETS,
  type RewardTable,
  weightedCritiqueRewards,
} from '../../src/rl/rewards.js';
import { Rng } from '../../src/util/rng.js';

const cfg = (edit: (c: TrainConfig) => void = () => {}, name = 'gcrl'): TrainConfig => {
  const c = preset(name);
  edit(c);
  return c;
};
const keys = (c: TrainConfig) => inertSettings(c).map((n) => n.key);
const perPrompt = (c: TrainConfig) => {
  c.grpo.grouping = 'per-prompt';
};

describe('inertSettings', () => {
  it('flags only the static pair set at the defaults (mixed grouping, GC-RL, data filter)', () => {
    expect(preset('gcrl').grpo.grouping).toBe('mixed');
    expect(keys(cfg())).toEqual(['critique.staticResponses']);
  });

  it('per-prompt GRPO: the reward table (and Eq. 3) are cancelled, unless refinements or another estimator', () => {
    const notes = inertSettings(cfg(perPrompt));
    expect(notes.map((n) => n.key)).toEqual(['critique.reward', 'critique.staticResponses']);
    expect(notes[0]?.reason).toMatch(/trains exactly as Eq\. 2/);
    const eq5 = cfg((c) => {
      perPrompt(c);
      c.critique.reward = { ...REWARD_PRESETS.catchIncorrect };
      c.critique.input = 'randomReweight';
    });
    expect(keys(eq5)).toEqual([
      'critique.reward',
      'critique.input',
      'critique.cacheCapacity',
      'critique.staticResponses',
    ]);
    expect(notesFor(inertSettings(eq5), 'critique.input')[0]?.reason).toMatch(/trains exactly as Random/);
    const penalised = cfg((c) => {
      perPrompt(c);
      c.critique.reward = { ...REWARD_PRESETS.symmetric, missing: -0.5 };
    });
    expect(notesFor(inertSettings(penalised), 'critique.reward.missing')[0]?.reason).toMatch(
      /only how right, wrong and missing verdicts compare/,
    );
    for (const edit of [
      (c: TrainConfig) => {
        c.grpo.advantage = 'drGrpo'; // no std division: the scale stays
      },
      (c: TrainConfig) => {
        c.critique.denoiseM = 1; // Eq. 4's R_q is not scaled with the row
      },
    ]) {
      expect(
        keys(
          cfg((c) => {
            perPrompt(c);
            edit(c);
          }),
        ),
      ).not.toContain('critique.reward');
    }
  });

  it('G-RL: every critique setting; cold start only: critique, rollout and GRPO settings', () => {
    expect(keys(cfg(() => {}, 'grl'))).toEqual([
      'critique.input',
      'critique.pairs',
      'critique.n',
      'critique.cacheCapacity',
      'critique.denoiseM',
      'critique.staticResponses',
      'critique.reward',
    ]);
    const cold = inertSettings(cfg((c) => (c.steps = 10), 'coldstart-only'));
    for (const path of ['grpo.lr', 'grpo.grouping', 'rollout.n', 'critique.reward.missing', 'critique.n'])
      expect(notesFor(cold, path).length, path).toBeGreaterThan(0);
    expect(notesFor(cold, 'eval.every')).toEqual([]);
  });

  it('C-RL static: no cache, the input only by its Eq. 3 weights, responses only for metrics', () => {
    expect(keys(cfg(() => {}, 'crl-static'))).toEqual([
      'critique.input',
      'critique.cacheCapacity',
      'rollout.questions',
      'rollout.n',
    ]);
    // with Eq. 3 the running accuracy p of the first-order rollout matters
    expect(keys(cfg((c) => (c.critique.input = 'randomReweight'), 'crl-static'))).toEqual([
      'critique.input',
      'critique.cacheCapacity',
    ]);
    expect(keys(cfg((c) => (c.critique.input = 'random'), 'crl-dynamic'))).toEqual([
      'critique.cacheCapacity',
      'critique.staticResponses',
    ]);
  });

  it('Critique-RL with m = 0 is C-RL dynamic', () => {
    expect(keys(cfg(() => {}, 'critique-rl'))).toEqual(['critique.staticResponses']);
    const zero = cfg((c) => (c.critique.denoiseM = 0), 'critique-rl');
    expect(notesFor(inertSettings(zero), 'critique.denoiseM')[0]?.reason).toMatch(/trains as C-RL dynamic/);
  });

  it('sampling: greedy makes top-k, top-p and n moot; top-k = 1 makes temperature and top-p moot', () => {
    expect(keys(cfg((c) => (c.rollout.temperature = 0)))).toEqual([
      'critique.staticResponses',
      'rollout.topK',
      'rollout.topP',
      'rollout.n',
      'critique.n',
    ]);
    expect(keys(cfg((c) => (c.rollout.topK = 1)))).toContain('rollout.temperature');
    expect(keys(cfg((c) => (c.rollout.topK = 24)))).toContain('rollout.topK');
    expect(keys(cfg((c) => (c.rollout.topK = 23)))).not.toContain('rollout.topK');
    // the sampler behind the claims
    const rng = new Rng(3);
    const logits = Array.from({ length: 24 }, () => rng.normal());
    const greedy = sampleToken(logits, { temperature: 0, topK: 0, topP: 1 }, rng).token;
    for (const [topK, topP] of [
      [3, 0.5],
      [0, 0.1],
      [20, 1],
    ] as const)
      expect(sampleToken(logits, { temperature: 0, topK, topP }, rng).token).toBe(greedy);
    for (const temperature of [0.3, 1, 5])
      expect(sampleToken(logits, { temperature, topK: 1, topP: 0.2 }, rng).token).toBe(greedy);
  });

  it('update: KL estimator at coefficient 0; clip and mini-batch with one on-policy update per step', () => {
    expect(keys(cfg((c) => (c.grpo.klCoef = 0)))).toContain('grpo.kl');
    expect(sequencesPerStep(cfg())).toBe(160);
    expect(sequencesPerStep(cfg(() => {}, 'grl'))).toBe(80);
    expect(sequencesPerStep(cfg(() => {}, 'crl-dynamic'))).toBe(80);
    const one = cfg((c) => (c.grpo.miniBatch = 160));
    expect(keys(one)).toEqual([
      'critique.staticResponses',
      'grpo.clipLow',
      'grpo.clipHigh',
      'grpo.miniBatch',
    ]);
    expect(keys(cfg((c) => (c.grpo.miniBatch = 159)))).not.toContain('grpo.clipLow');
    expect(keys(cfg((c) => Object.assign(c.grpo, { miniBatch: 160, epochs: 2 })))).not.toContain(
      'grpo.clipLow',
    );
    expect(keys(cfg((c) => Object.assign(c.grpo, { miniBatch: 160, clipLow: 0 })))).not.toContain(
      'grpo.clipLow',
    );
  });

  it('skipping zero-variance groups under the mixed grouping acts only on all-equal steps (rare)', () => {
    const notes = inertSettings(cfg((c) => (c.grpo.skipZeroVariance = true)));
    expect(notesFor(notes, 'grpo.skipZeroVariance')).toEqual([
      expect.objectContaining({ rare: true, reason: expect.stringMatching(/every response and critique/) }),
    ]);
    expect(
      keys(cfg((c) => Object.assign(c.grpo, { skipZeroVariance: true, grouping: 'per-prompt' }))),
    ).not.toContain('grpo.skipZeroVariance');
  });

  it('names the grouping in use', () => {
    expect(groupingSummary(cfg())).toMatch(/mixed.*mixed into the same group/);
    expect(groupingSummary(cfg(perPrompt))).toMatch(/per prompt.*cancels/);
  });
});

/** Critique groups of n = 5 with random verdicts: group g judges a response with truth `truths[g]`. */
function critiqueGroups(rng: Rng, groups: number): { truths: boolean[]; verdicts: Verdict[][] } {
  const all: Verdict[] = ['correct', 'wrong', 'none'];
  const truths = Array.from({ length: groups }, () => rng.next() < 0.4);
  const verdicts = truths.map(() => Array.from({ length: 5 }, () => all[rng.int(3)] as Verdict));
  return { truths, verdicts };
}
const rewardsOf = (table: RewardTable, truths: boolean[], verdicts: Verdict[][]) =>
  verdicts.map(
    (vs, g) =>
      critiqueRewards(
        table,
        vs.map(() => truths[g] as boolean),
        vs,
      )[0],
  );
const maxDiff = (a: number[][], b: number[][]) =>
  Math.max(...a.flat().map((x, i) => Math.abs(x - (b.flat()[i] as number))));

describe('the reward claims, against the real functions', () => {
  it('per-prompt GRPO trains every table with Eq. 2’s row shapes exactly as Eq. 2; mixed does not', () => {
    const rng = new Rng(11);
    const eq2 = REWARD_PRESETS.symmetric;
    for (const table of [
      REWARD_PRESETS.catchIncorrect,
      REWARD_PRESETS.acceptCorrect,
      { ...eq2, correctRight: 3 },
    ]) {
      expect(perPromptEquivalentToEq2(table)).toBe(true);
      for (let t = 0; t < 20; t++) {
        const { truths, verdicts } = critiqueGroups(rng, 8);
        const a = rewardsOf(eq2, truths, verdicts);
        const b = rewardsOf(table, truths, verdicts);
        expect(
          maxDiff(groupedAdvantages(grpo, a, 'per-prompt')[0], groupedAdvantages(grpo, b, 'per-prompt')[0]),
        ).toBeLessThan(1e-5);
      }
      const { truths, verdicts } = critiqueGroups(new Rng(5), 8);
      const mixedA = groupedAdvantages(grpo, rewardsOf(eq2, truths, verdicts), 'mixed')[0];
      const mixedB = groupedAdvantages(grpo, rewardsOf(table, truths, verdicts), 'mixed')[0];
      expect(maxDiff(mixedA, mixedB)).toBeGreaterThan(1e-3);
    }
    // a missing-verdict penalty changes a row's shape: per-prompt training differs from Eq. 2
    const penalised = { ...eq2, missing: -0.5 };
    expect(perPromptEquivalentToEq2(penalised)).toBe(false);
    const { truths, verdicts } = critiqueGroups(new Rng(6), 8);
    expect(
      maxDiff(
        groupedAdvantages(grpo, rewardsOf(eq2, truths, verdicts), 'per-prompt')[0],
        groupedAdvantages(grpo, rewardsOf(penalised, truths, verdicts), 'per-prompt')[0],
      ),
    ).toBeGreaterThan(1e-3);
  });

  it('per-prompt GRPO trains Random + reweight exactly as Random; mixed does not', () => {
    const rng = new Rng(12);
    const table = REWARD_PRESETS.catchIncorrect;
    const { truths, verdicts } = critiqueGroups(rng, 8);
    const plain = rewardsOf(table, truths, verdicts);
    const weighted = verdicts.map(
      (vs, g) =>
        weightedCritiqueRewards(
          table,
          vs.map(() => truths[g] as boolean),
          vs,
          0.2,
        )[0],
    );
    expect(
      maxDiff(
        groupedAdvantages(grpo, plain, 'per-prompt')[0],
        groupedAdvantages(grpo, weighted, 'per-prompt')[0],
      ),
    ).toBeLessThan(1e-5);
    expect(
      maxDiff(groupedAdvantages(grpo, plain, 'mixed')[0], groupedAdvantages(grpo, weighted, 'mixed')[0]),
    ).toBeGreaterThan(1e-3);
  });
});
