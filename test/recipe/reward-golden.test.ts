// The golden reward cases shared with the verl recipe's Python tests: computed here from src/rl/rewards.ts and
// checked against test/fixtures/verl/reward-golden.json (GCRL_WRITE_GOLDEN=1, or a missing file, writes it).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/lm/formats.js';
import { GOLDEN_FIXTURE } from '../../src/recipe/verl/build.js';
import { REPO_ROOT } from '../../src/recipe/verl/export.js';
import {
  critiqueReward,
  DENOISE_COEFS,
  denoisedReward,
  predictedBias,
  REWARD_PRESETS,
  type RewardTable,
  RunningMean,
  responseReward,
  WEIGHT_EPS,
  weightedCritiqueReward,
} from '../../src/rl/rewards.js';

const VERDICTS: Verdict[] = ['correct', 'wrong', 'none'];
const TABLES: Record<string, RewardTable> = {
  ...REWARD_PRESETS,
  penalties: { correctRight: 0.9, correctWrong: -0.3, wrongRight: 0.5, wrongWrong: -0.6, missing: -1 },
};
const PS = [0, 0.0004, 0.1, 0.25, 0.45, 0.5, 0.9, 0.9996, 1];

/** The text a critic would write for a verdict (reward_gcrl.parse_verdict reads it back). */
const CRITIQUE_TEXT: Record<Verdict, string> = {
  correct: 'I get 122 as well, so the answer holds.\nVerdict: correct',
  wrong: 'Recomputing: 37 + 85 = 122, not 121.\nVerdict: incorrect',
  none: 'Recomputing: 37 + 85 = 122. I am not sure.',
};

const weighted = weightedCritiqueReward; // Eq. 3 over the table, as the critique phase scores randomReweight

function goldenCases() {
  const truths = [true, false];
  const critique = Object.keys(TABLES).flatMap((table) =>
    truths.flatMap((truth) =>
      VERDICTS.map((verdict) => ({
        table,
        truth,
        verdict,
        expected: critiqueReward(TABLES[table] as RewardTable, truth, verdict),
      })),
    ),
  );
  const weightedCases = Object.keys(TABLES).flatMap((table) =>
    PS.flatMap((p) =>
      truths.flatMap((truth) =>
        VERDICTS.map((verdict) => ({
          table,
          truth,
          verdict,
          p,
          expected: weighted(TABLES[table] as RewardTable, truth, verdict, p),
        })),
      ),
    ),
  );
  const denoise = VERDICTS.flatMap((verdict) =>
    [1, 2, 5].flatMap((m) =>
      Array.from({ length: m + 1 }, (_, k) => ({ verdict, k, m, expected: denoisedReward(verdict, k, m) })),
    ),
  );
  // What the critique phase scores: the table or Eq. 3, plus Eq. 4's R_q when m > 0.
  const score = Object.keys(TABLES).flatMap((table) =>
    [false, true].flatMap((isWeighted) =>
      [0.1, 0.6].flatMap((p) =>
        [
          [0, 0],
          [1, 1],
          [1, 3],
        ].flatMap(([k, m]) =>
          truths.flatMap((truth) =>
            VERDICTS.map((verdict) => {
              const t = TABLES[table] as RewardTable;
              const base = isWeighted ? weighted(t, truth, verdict, p) : critiqueReward(t, truth, verdict);
              const rq = (m as number) > 0 ? denoisedReward(verdict, k as number, m as number) : 0;
              return {
                table,
                weighted: isWeighted,
                p,
                k,
                m,
                truth,
                verdict,
                text: CRITIQUE_TEXT[verdict],
                expected: base + rq,
              };
            }),
          ),
        ),
      ),
    ),
  );
  const updates = [[1, 0, 0, 1, 0], [0, 0, 0, 0, 0], [1, 1, 1], [], [0, 1]];
  const running = [{ momentum: 0.9 }, { momentum: 0 }, { window: 4 }, { window: 1 }].map((opts) => {
    const r = new RunningMean(opts);
    return { opts, updates, values: updates.map((u) => r.update(u)) };
  });
  const bias = [
    { p: 0.1, alpha: 0.4, beta: 0.8 },
    { p: 0.45, alpha: 0.7, beta: 0.6 },
    { p: 0.5, alpha: 0.5, beta: 0.5 },
  ].map((x) => ({ ...x, expected: predictedBias(x) }));
  return {
    about:
      'Golden reward cases from src/rl/rewards.ts (Eqs. 1-6, Eq. 3 reweighting) for recipes/verl/reward_gcrl.py; written by test/recipe/reward-golden.test.ts',
    weight_eps: WEIGHT_EPS,
    denoise_coefs: DENOISE_COEFS,
    tables: TABLES,
    response: [true, false].map((ok) => ({ ok, expected: responseReward(ok) })),
    critique,
    weighted: weightedCases,
    denoise,
    score,
    running_mean: running,
    predicted_bias: bias,
  };
}

describe('golden reward cases for the verl recipe', () => {
  const path = join(REPO_ROOT, GOLDEN_FIXTURE);
  const cases = JSON.parse(JSON.stringify(goldenCases()));
  it('the fixture holds what src/rl/rewards.ts computes now', () => {
    if (process.env.GCRL_WRITE_GOLDEN === '1' || !existsSync(path)) {
      writeFileSync(path, `${JSON.stringify(cases, null, 1)}\n`);
    }
    const stored = JSON.parse(readFileSync(path, 'utf8'));
    // A mismatch means rewards.ts changed: rerun with GCRL_WRITE_GOLDEN=1, then make reward_gcrl.py pass.
    expect(stored).toEqual(cases);
  });
  it('covers each table cell, both Eq. 3 weights and Eq. 4 for each verdict', () => {
    expect(new Set(cases.critique.map((c: { expected: number }) => c.expected)).size).toBeGreaterThan(6);
    expect(cases.weighted.some((c: { expected: number }) => c.expected > 100)).toBe(true); // p clamped, finite
    expect(cases.weighted.every((c: { expected: unknown }) => Number.isFinite(c.expected))).toBe(true);
    expect(cases.score.some((c: { m: number; expected: number }) => c.m > 0 && c.expected > 0.7)).toBe(true);
  });
});
