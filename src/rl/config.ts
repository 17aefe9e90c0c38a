// The one training config for every mode, its defaults, the named presets (G-RL, C-RL static /
// dynamic, GC-RL, Critique-RL, cold start only) and its schema: every setting's allowed names (from
// the registries' own keys) and bounds stated once, checked before any work with every problem listed.
import {
  MAX_SET_SIZE,
  SEED_MAX,
  TASK_DEFAULTS,
  TASK_SETTINGS,
  type TaskConfig,
  taskErrors,
} from '../coldstart/run.js';
import { VOCAB } from '../lm/tokenizer.js';
import { BOOL, int, mergeSettings, num, oneOf, pick, type Schema, schemaErrors } from '../util/schema.js';
import { ADVANTAGES, type AdvantageName, GROUPINGS, type Grouping } from './advantages.js';
import { CRITIQUE_INPUTS, type CritiqueInputName } from './critique-inputs.js';
import { AGGREGATIONS, type Aggregation, KL_ESTIMATORS, type KlEstimator } from './grpo-graph.js';
import { REWARD_PRESETS, type RewardTable } from './rewards.js';

export const MODES = ['grl', 'crl-static', 'crl-dynamic', 'gcrl', 'critique-rl', 'coldstart-only'] as const;
export type Mode = (typeof MODES)[number];
export const CRITIQUE_INPUT_NAMES = Object.keys(CRITIQUE_INPUTS) as CritiqueInputName[];
export const ADVANTAGE_NAMES = Object.keys(ADVANTAGES) as AdvantageName[];

export interface TrainConfig {
  mode: Mode; // which orders are trained (see PRESETS)
  task: TaskConfig; // family, difficulty, finite training set, held-out set
  base: string; // base checkpoint (folder or URL), also the frozen KL reference
  seed: number; // seeds question order, sampling and shuffles
  steps: number; // training steps
  rollout: {
    questions: number; // questions per step (first-order rollout)
    n: number; // responses per question (paper: 5)
    temperature: number;
    topK: number;
    topP: number;
  };
  critique: {
    input: CritiqueInputName; // data filter / random / random + Eq. 3 reweight
    pairs: number; // (question, response) pairs critiqued per step
    n: number; // critiques per pair
    cacheCapacity: number; // question-response cache size (filter input)
    reward: RewardTable; // the 2×2 table (+ missing verdict)
    denoiseM: number; // refinements per critique for Eq. 4's R_q (0: off; paper: 1)
    staticResponses: number; // C-RL static: responses sampled per question before training (paper: 10)
  };
  grpo: {
    advantage: AdvantageName;
    grouping: Grouping; // one mixed group per step (default, §3: "mixed into the same group") or per-prompt groups
    skipZeroVariance: boolean; // drop groups whose rewards are all equal
    miniBatch: number; // sequences per optimiser step
    epochs: number; // passes over each step's batch
    lr: number;
    clipLow: number;
    clipHigh: number;
    klCoef: number;
    kl: KlEstimator;
    aggregation: Aggregation;
  };
  eval: { every: number; questions: number }; // held-out evaluation every K steps (0: off)
}

export const TRAIN_DEFAULTS: Readonly<TrainConfig> = Object.freeze({
  mode: 'gcrl',
  task: TASK_DEFAULTS,
  base: 'public/models/weak',
  seed: 1,
  steps: 200,
  rollout: { questions: 16, n: 5, temperature: 1, topK: 0, topP: 1 },
  critique: {
    input: 'filter',
    pairs: 16,
    n: 5,
    cacheCapacity: 256,
    reward: { correctRight: 0.7, correctWrong: 0, wrongRight: 0.7, wrongWrong: 0, missing: 0 },
    denoiseM: 0,
    staticResponses: 10,
  },
  grpo: {
    advantage: 'grpo',
    grouping: 'mixed', // the paper's §3 literal grouping; per-prompt cancels Eq. 3 and the reward table
    skipZeroVariance: false,
    miniBatch: 64,
    epochs: 1,
    lr: 3e-5, // measured on the weak checkpoint: 1e-3 collapses it within 10 steps, 1e-4 is noisy
    clipLow: 0.2,
    clipHigh: 0.2,
    klCoef: 1e-3,
    kl: 'k3',
    aggregation: 'token-mean',
  },
  eval: { every: 25, questions: 128 },
} satisfies TrainConfig);

/** Named presets: partial overrides of the defaults. */
export const PRESETS = {
  // G-RL is the paper's vanilla GRPO baseline: the n responses of a question form its group.
  grl: { mode: 'grl', grpo: { ...TRAIN_DEFAULTS.grpo, grouping: 'per-prompt' } },
  'crl-static': { mode: 'crl-static' },
  'crl-dynamic': { mode: 'crl-dynamic' },
  gcrl: { mode: 'gcrl' },
  'critique-rl': { mode: 'critique-rl', critique: { ...TRAIN_DEFAULTS.critique, denoiseM: 1 } },
  'coldstart-only': { mode: 'coldstart-only', steps: 0 },
} satisfies Record<string, Partial<TrainConfig>>;
export type PresetName = keyof typeof PRESETS;

/** A copy of a named preset (own names only); the error lists the valid names. */
export function preset(name: string): TrainConfig {
  const p = pick(PRESETS as Record<string, Partial<TrainConfig>>, name, 'preset');
  return { ...structuredClone(TRAIN_DEFAULTS), ...structuredClone(p) } as TrainConfig;
}

/** Most sequences one phase of a step samples (responses; critiques with their refinements). */
export const MAX_SEQUENCES = 4096;
/** Most responses C-RL static samples before training (task.trainSize × critique.staticResponses). */
export const MAX_STATIC_RESPONSES = 65_536;

/**
 * Every setting of a TrainConfig: kind, allowed names or bounds. Names come from the registries'
 * own keys; upper bounds keep one run within a laptop's memory and patience.
 */
export const SETTINGS: Schema = Object.freeze({
  mode: oneOf(MODES),
  ...TASK_SETTINGS,
  base: { kind: 'text', maxLength: 2048 },
  seed: int(0, SEED_MAX),
  steps: int(0, 100_000),
  'rollout.questions': int(1, 1024),
  'rollout.n': int(2, 64),
  'rollout.temperature': num(0, 10),
  'rollout.topK': int(0, VOCAB.size),
  'rollout.topP': num(0.01, 1),
  'critique.input': oneOf(Object.keys(CRITIQUE_INPUTS)),
  'critique.pairs': int(1, 1024),
  'critique.n': int(2, 64),
  'critique.cacheCapacity': int(2, MAX_SET_SIZE),
  ...Object.fromEntries(
    Object.keys(REWARD_PRESETS.symmetric).map((k) => [`critique.reward.${k}`, num(-10, 10)]),
  ),
  'critique.denoiseM': int(0, 16),
  'critique.staticResponses': int(2, 64),
  'grpo.advantage': oneOf(Object.keys(ADVANTAGES)),
  'grpo.grouping': oneOf(GROUPINGS),
  'grpo.skipZeroVariance': BOOL,
  'grpo.miniBatch': int(1, 1024),
  'grpo.epochs': int(1, 16),
  'grpo.lr': num(0, 1),
  'grpo.clipLow': num(0, 1),
  'grpo.clipHigh': num(0, 10),
  'grpo.klCoef': num(0, 10),
  'grpo.kl': oneOf(Object.keys(KL_ESTIMATORS)),
  'grpo.aggregation': oneOf(Object.keys(AGGREGATIONS)),
  'eval.every': int(0, 100_000),
  'eval.questions': int(1, 4096),
});

export interface ConfigCheckOptions {
  /** The base model's context in tokens: the task's longest example of each format used must fit. */
  ctx?: number;
}

/**
 * Every problem with a config (empty when valid): missing or unknown settings, wrong types, values
 * outside the schema's bounds or names, then the cross-checks between settings.
 */
export function configErrors(c: unknown, opts: ConfigCheckOptions = {}): string[] {
  const e = schemaErrors(SETTINGS, c, 'training config');
  if (e.length) return e;
  const t = c as TrainConfig;
  if (t.eval.questions > t.task.heldOutSize)
    e.push(`eval.questions (${t.eval.questions}) exceeds task.heldOutSize (${t.task.heldOutSize})`);
  const responses = t.rollout.questions * t.rollout.n;
  if (responses > MAX_SEQUENCES)
    e.push(`rollout.questions × rollout.n (${responses}) exceeds ${MAX_SEQUENCES} sequences per step`);
  const critiques = t.critique.pairs * t.critique.n * (1 + t.critique.denoiseM);
  if (critiques > MAX_SEQUENCES) {
    e.push(
      `critique.pairs × critique.n × (1 + critique.denoiseM) (${critiques}) exceeds ${MAX_SEQUENCES} sequences per step`,
    );
  }
  if (t.mode === 'crl-static' && t.task.trainSize * t.critique.staticResponses > MAX_STATIC_RESPONSES) {
    e.push(
      `task.trainSize × critique.staticResponses (${t.task.trainSize * t.critique.staticResponses}) exceeds the ${MAX_STATIC_RESPONSES} responses C-RL static may sample before training`,
    );
  }
  const refinement = t.critique.denoiseM > 0 || t.mode === 'critique-rl';
  e.push(...taskErrors(t.task, opts.ctx, refinement));
  return e;
}

/**
 * A config from parsed JSON laid over `defaults` (a file the page imports): every key must be a
 * setting and every value of its type (`true` is not 1, `[7]` is not 7, `null` is not a config);
 * returns the config and every problem (with problems, the config is not to be used).
 */
export function configFromJson(
  json: unknown,
  defaults: TrainConfig = TRAIN_DEFAULTS,
): [TrainConfig, string[]] {
  const [c, e] = mergeSettings(SETTINGS, defaults, json, 'a config');
  return [c, e.length ? e : configErrors(c)];
}
