// The one training config for every mode, its defaults, the named presets (G-RL, C-RL static /
// dynamic, GC-RL, Critique-RL, cold start only) and validation that lists every problem at once.
import { TASK_DEFAULTS, type TaskConfig } from '../coldstart/run.js';
import { FAMILIES } from '../lm/tasks.js';
import type { Aggregation, KlEstimator } from './grpo-graph.js';
import type { RewardTable } from './rewards.js';

export const MODES = ['grl', 'crl-static', 'crl-dynamic', 'gcrl', 'critique-rl', 'coldstart-only'] as const;
export type Mode = (typeof MODES)[number];
export const CRITIQUE_INPUT_NAMES = ['filter', 'random', 'randomReweight'] as const;
export const ADVANTAGE_NAMES = ['grpo', 'drGrpo', 'rloo', 'median'] as const;

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
    input: (typeof CRITIQUE_INPUT_NAMES)[number]; // data filter / random / random + Eq. 3 reweight
    pairs: number; // (question, response) pairs critiqued per step
    n: number; // critiques per pair
    cacheCapacity: number; // question-response cache size (filter input)
    reward: RewardTable; // the 2×2 table (+ missing verdict)
    denoiseM: number; // refinements per critique for Eq. 4's R_q (0: off; paper: 1)
    staticResponses: number; // C-RL static: responses sampled per question before training (paper: 10)
  };
  grpo: {
    advantage: (typeof ADVANTAGE_NAMES)[number];
    grouping: 'per-prompt' | 'mixed'; // one mixed group per step (default, §3: "mixed into the same group") or per-prompt groups
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
  grl: { mode: 'grl' },
  'crl-static': { mode: 'crl-static' },
  'crl-dynamic': { mode: 'crl-dynamic' },
  gcrl: { mode: 'gcrl' },
  'critique-rl': { mode: 'critique-rl', critique: { ...TRAIN_DEFAULTS.critique, denoiseM: 1 } },
  'coldstart-only': { mode: 'coldstart-only', steps: 0 },
} satisfies Record<string, Partial<TrainConfig>>;
export type PresetName = keyof typeof PRESETS;

export function preset(name: string): TrainConfig {
  const p = (PRESETS as Record<string, Partial<TrainConfig>>)[name];
  if (!p) throw new Error(`unknown preset '${name}' (valid: ${Object.keys(PRESETS).join(', ')})`);
  return { ...structuredClone(TRAIN_DEFAULTS), ...structuredClone(p) } as TrainConfig;
}

/** Every problem with a config (empty when valid). */
export function configErrors(c: TrainConfig): string[] {
  const e: string[] = [];
  const int = (v: number, name: string, min = 0) => {
    if (!Number.isInteger(v) || v < min) e.push(`${name} must be an integer ≥ ${min} (got ${v})`);
  };
  const num = (v: number, name: string, lo: number, hi: number) => {
    if (!Number.isFinite(v) || v < lo || v > hi) e.push(`${name} must be in [${lo}, ${hi}] (got ${v})`);
  };
  if (!MODES.includes(c.mode)) e.push(`mode must be one of ${MODES.join(', ')} (got ${c.mode})`);
  if (!FAMILIES.includes(c.task.family)) e.push(`task.family must be one of ${FAMILIES.join(', ')}`);
  int(c.task.digits, 'task.digits', 1);
  int(c.task.trainSize, 'task.trainSize', 1);
  int(c.task.heldOutSize, 'task.heldOutSize', 1);
  int(c.steps, 'steps');
  int(c.rollout.questions, 'rollout.questions', 1);
  int(c.rollout.n, 'rollout.n', 2);
  num(c.rollout.temperature, 'rollout.temperature', 0, 10);
  int(c.rollout.topK, 'rollout.topK');
  num(c.rollout.topP, 'rollout.topP', 0.01, 1);
  if (!CRITIQUE_INPUT_NAMES.includes(c.critique.input)) {
    e.push(`critique.input must be one of ${CRITIQUE_INPUT_NAMES.join(', ')} (got ${c.critique.input})`);
  }
  int(c.critique.pairs, 'critique.pairs', 1);
  int(c.critique.n, 'critique.n', 2);
  int(c.critique.cacheCapacity, 'critique.cacheCapacity', 2);
  int(c.critique.denoiseM, 'critique.denoiseM');
  int(c.critique.staticResponses, 'critique.staticResponses', 2);
  for (const [k, v] of Object.entries(c.critique.reward)) num(v, `critique.reward.${k}`, -10, 10);
  if (!ADVANTAGE_NAMES.includes(c.grpo.advantage)) {
    e.push(`grpo.advantage must be one of ${ADVANTAGE_NAMES.join(', ')} (got ${c.grpo.advantage})`);
  }
  if (c.grpo.grouping !== 'per-prompt' && c.grpo.grouping !== 'mixed')
    e.push('grpo.grouping must be per-prompt or mixed');
  int(c.grpo.miniBatch, 'grpo.miniBatch', 1);
  int(c.grpo.epochs, 'grpo.epochs', 1);
  num(c.grpo.lr, 'grpo.lr', 0, 1);
  num(c.grpo.clipLow, 'grpo.clipLow', 0, 1);
  num(c.grpo.clipHigh, 'grpo.clipHigh', 0, 10);
  num(c.grpo.klCoef, 'grpo.klCoef', 0, 10);
  int(c.eval.every, 'eval.every');
  int(c.eval.questions, 'eval.questions', 1);
  if (c.eval.questions > c.task.heldOutSize)
    e.push(`eval.questions (${c.eval.questions}) exceeds task.heldOutSize (${c.task.heldOutSize})`);
  return e;
}
