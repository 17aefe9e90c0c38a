// Every playground setting reaches the recipe (a verl key, a recipe key, or a listed "no counterpart"),
// the named mappings are right, and the batch sizes divide as verl requires.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVerlRecipe, CONFIG_NAME } from '../../src/recipe/verl/build.js';
import { loadTemplates } from '../../src/recipe/verl/export.js';
import {
  batchChecks,
  mapConfig,
  miniBatchPrompts,
  RECIPE_DEFAULTS,
  stepSequences,
} from '../../src/recipe/verl/mapping.js';
import { objectLeafPaths, type YamlMap } from '../../src/recipe/verl/yaml.js';
import { preset, TRAIN_DEFAULTS, type TrainConfig } from '../../src/rl/config.js';

const templates = await loadTemplates();
const cfg = (patch: (c: TrainConfig) => void): TrainConfig => {
  const c = structuredClone(TRAIN_DEFAULTS) as TrainConfig;
  patch(c);
  return c;
};
const get = (obj: YamlMap, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);

describe('setting mapping', () => {
  it('every TrainConfig setting has a row (nothing dropped silently)', () => {
    const settings = objectLeafPaths(TRAIN_DEFAULTS as unknown as YamlMap);
    const rows = new Set(mapConfig(TRAIN_DEFAULTS, RECIPE_DEFAULTS).rows.map((r) => r.setting));
    expect(settings.filter((s) => !rows.has(s))).toEqual([]);
    expect(settings.length).toBeGreaterThan(30);
  });

  it('settings without a verl key are listed in the README by name', () => {
    const files = buildVerlRecipe({ config: preset('gcrl'), source: 't' }, templates);
    const readme = files.find((f) => f.path === 'README.md')?.content ?? '';
    const section = readme.split('### Settings with no verl key')[1]?.split('\n## ')[0] ?? '';
    const m = mapConfig(preset('gcrl'), RECIPE_DEFAULTS);
    for (const r of m.rows.filter((x) => x.counterpart !== 'verl'))
      expect(section).toContain(`\`${r.setting}\``);
    expect(section).toContain('`base`');
    expect(section).toContain('`grpo.grouping`');
  });

  it('advantage estimators: GRPO, Dr. GRPO (no std), RLOO, median (recipe-registered, no verl name)', () => {
    const est = (a: TrainConfig['grpo']['advantage']) => {
      const m = mapConfig(
        cfg((c) => (c.grpo.advantage = a)),
        RECIPE_DEFAULTS,
      );
      const row = m.rows.find((r) => r.setting === 'grpo.advantage');
      return [
        get(m.yaml, 'algorithm.adv_estimator'),
        get(m.yaml, 'algorithm.norm_adv_by_std_in_grpo'),
        row?.counterpart,
      ];
    };
    expect(est('grpo')).toEqual(['grpo', true, 'verl']);
    expect(est('drGrpo')).toEqual(['grpo', false, 'verl']);
    expect(est('rloo')).toEqual(['rloo', true, 'verl']);
    expect(est('median')).toEqual(['gcrl_median', true, 'recipe']);
  });

  it('KL estimators, clip range, loss aggregation, grouping, reward table and Eq. 4 land where verl / the recipe read them', () => {
    const c = cfg((x) => {
      x.grpo.kl = 'k2';
      x.grpo.clipHigh = 0.28;
      x.grpo.klCoef = 0;
      x.grpo.aggregation = 'seq-mean-token-sum';
      x.grpo.grouping = 'per-prompt';
      x.critique.reward = {
        correctRight: 0.6,
        correctWrong: -0.1,
        wrongRight: 0.8,
        wrongWrong: 0,
        missing: -0.5,
      };
      x.critique.denoiseM = 2;
      x.rollout.topK = 0;
    });
    const y = mapConfig(c, RECIPE_DEFAULTS).yaml;
    expect(get(y, 'actor_rollout_ref.actor.kl_loss_type')).toBe('mse');
    expect(get(y, 'actor_rollout_ref.actor.use_kl_loss')).toBe(false);
    expect(get(y, 'actor_rollout_ref.actor.clip_ratio_high')).toBe(0.28);
    expect(get(y, 'actor_rollout_ref.actor.loss_agg_mode')).toBe('seq-mean-token-sum');
    expect(get(y, 'actor_rollout_ref.rollout.top_k')).toBe(-1);
    expect(get(y, 'gcrl.grouping')).toBe('per_prompt');
    expect(get(y, 'gcrl.critique.denoise_m')).toBe(2);
    expect(get(y, 'reward.custom_reward_function.reward_kwargs.reward_table')).toEqual({
      correct_right: 0.6,
      correct_wrong: -0.1,
      wrong_right: 0.8,
      wrong_wrong: 0,
      missing: -0.5,
    });
    expect(get(mapConfig(TRAIN_DEFAULTS, RECIPE_DEFAULTS).yaml, 'gcrl.grouping')).toBe('step'); // mixed
    expect(
      get(
        mapConfig(
          cfg((x) => (x.grpo.kl = 'k1')),
          RECIPE_DEFAULTS,
        ).yaml,
        'actor_rollout_ref.actor.kl_loss_type',
      ),
    ).toBe('kl');
  });
});

describe('batch sizes', () => {
  it('the defaults on 8 GPUs: 8 prompts per mini-batch (40 sequences), 160 sequences a step', () => {
    expect(miniBatchPrompts(TRAIN_DEFAULTS, 8)).toBe(8);
    expect(stepSequences(TRAIN_DEFAULTS)).toBe(160);
    const checks = batchChecks(TRAIN_DEFAULTS, RECIPE_DEFAULTS);
    expect(checks.filter((k) => k.fatal && !k.ok)).toEqual([]);
    expect(checks.find((k) => k.name.startsWith('mini-batch matches'))?.ok).toBe(false); // 40 ≠ 64, reported
  });

  it('a config verl would refuse is not exported, and the error says why', () => {
    const c = cfg((x) => {
      x.rollout.questions = 3; // 3 × 5 = 15 sequences over 8 GPUs
    });
    expect(() => buildVerlRecipe({ config: c, source: 't' }, templates)).toThrow(
      /divisible by the GPU count: 3 × 5 = 15/,
    );
    expect(() =>
      buildVerlRecipe({ config: c, source: 't', options: { gpusPerNode: 1 } }, templates),
    ).not.toThrow();
  });

  it('property: the chosen mini-batch always divides as verl requires, or export refuses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 2, max: 16 }),
        fc.integer({ min: 1, max: 512 }),
        fc.constantFrom(1, 2, 4, 8, 16),
        (questions, n, miniBatch, gpus) => {
          const c = cfg((x) => {
            x.rollout.questions = questions;
            x.rollout.n = n;
            x.grpo.miniBatch = miniBatch;
          });
          const mini = miniBatchPrompts(c, gpus);
          if (mini === 0) return;
          expect((mini * n) % gpus).toBe(0);
          expect(questions % mini).toBe(0);
          expect(mini * n).toBeLessThanOrEqual(miniBatch);
          const files = (() => {
            try {
              return buildVerlRecipe({ config: c, source: 't', options: { gpusPerNode: gpus } }, templates);
            } catch {
              return null; // the prompt batch itself does not split over the GPUs
            }
          })();
          if (files)
            expect(files.find((f) => f.path === CONFIG_NAME)?.content).toContain(
              `ppo_mini_batch_size: ${mini}\n`,
            );
          else expect((questions * n) % gpus).not.toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
