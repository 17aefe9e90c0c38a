// Every playground setting → verl's config keys (or the recipe's own gcrl.* keys, or "no counterpart"),
// plus the batch sizes verl requires to divide, so nothing of a run is dropped silently on the way to a cluster.
import { ADAMW_DEFAULTS } from '../../engine/optim.js';
import type { TrainConfig } from '../../rl/config.js';
import { type BatchCheck, batchChecks, miniBatchPrompts } from './batches.js';
import { ADV, GROUPING, KL_TYPES, snakeCell, TABLE_CELLS } from './names.js';
import type { RecipeOptions } from './options.js';
import { epochsFor, trainerYaml } from './trainer-yaml.js';
import type { Comments, YamlMap } from './yaml.js';

export { type BatchCheck, batchChecks, miniBatchPrompts, stepSequences } from './batches.js';
export { RECIPE_DEFAULTS, type RecipeOptions } from './options.js';

/** Where a setting lands: a verl key, the recipe's own code (gcrl.* / reward_kwargs), or nowhere. */
export type Counterpart = 'verl' | 'recipe' | 'none';

export interface MappingRow {
  setting: string; // playground key path (TrainConfig), or a playground constant
  value: string;
  target: string; // verl / recipe key(s), or what replaces it
  targetValue: string;
  counterpart: Counterpart;
  note?: string;
}

export interface Mapping {
  yaml: YamlMap; // overrides on top of verl's ppo_trainer
  comments: Comments;
  rows: MappingRow[];
  checks: BatchCheck[];
}

/** The yaml overrides, their comments, the mapping table and the batch checks for one config. */
export function mapConfig(c: TrainConfig, o: RecipeOptions): Mapping {
  const gpus = o.nnodes * o.gpusPerNode;
  const mini = miniBatchPrompts(c, gpus);
  const adv = ADV[c.grpo.advantage];
  const rows: MappingRow[] = [];
  const row = (
    setting: string,
    value: unknown,
    target: string,
    targetValue: unknown,
    counterpart: Counterpart,
    note?: string,
  ) =>
    rows.push({
      setting,
      value: typeof value === 'string' ? value : JSON.stringify(value),
      target,
      targetValue: typeof targetValue === 'string' ? targetValue : JSON.stringify(targetValue),
      counterpart,
      ...(note ? { note } : {}),
    });
  const epochs = epochsFor(c);

  row('mode', c.mode, 'gcrl.mode', c.mode, 'recipe', "which orders are trained: the recipe trainer's fit()");
  for (const k of ['family', 'digits', 'trainSize', 'heldOutSize', 'splitSeed'] as const)
    row(
      `task.${k}`,
      c.task[k],
      'data.train_files / data.val_files',
      'data/train.parquet, data/test.parquet',
      'none',
      'the playground split is exported as data/*.jsonl (prepare_data.py makes parquet); a real run swaps in its own dataset',
    );
  row(
    'base',
    c.base,
    'actor_rollout_ref.model.path',
    o.model,
    'none',
    'the playground checkpoint is a tiny character GPT, not a Hugging Face model: a chat model replaces it (and is the frozen KL reference)',
  );
  row(
    'seed',
    c.seed,
    'gcrl.seed, data.seed, actor_rollout_ref.rollout.seed, actor_rollout_ref.actor.data_loader_seed',
    c.seed,
    'verl',
    'GPU sampling is not bit-reproducible: same seed, not the same run',
  );
  row(
    'steps',
    c.steps,
    'trainer.total_training_steps',
    c.steps,
    'verl',
    `trainer.total_epochs = ${epochs} so the data loader does not run out`,
  );
  row('rollout.questions', c.rollout.questions, 'data.train_batch_size', c.rollout.questions, 'verl');
  row('rollout.n', c.rollout.n, 'actor_rollout_ref.rollout.n', c.rollout.n, 'verl');
  row(
    'rollout.temperature',
    c.rollout.temperature,
    'actor_rollout_ref.rollout.temperature',
    c.rollout.temperature,
    'verl',
  );
  row(
    'rollout.topK',
    c.rollout.topK,
    'actor_rollout_ref.rollout.top_k',
    c.rollout.topK || -1,
    'verl',
    '0 (off) is -1 in verl',
  );
  row('rollout.topP', c.rollout.topP, 'actor_rollout_ref.rollout.top_p', c.rollout.topP, 'verl');
  row(
    'critique.input',
    c.critique.input,
    'gcrl.critique.input',
    c.critique.input,
    'recipe',
    "the data filter + cache / random sampling run in gcrl_core.py; verl's closest is DAPO's algorithm.filter_groups (keep groups with reward std > 0), the filter's precondition",
  );
  row('critique.pairs', c.critique.pairs, 'gcrl.critique.pairs', c.critique.pairs, 'recipe');
  row(
    'critique.n',
    c.critique.n,
    'gcrl.critique.n',
    c.critique.n,
    'recipe',
    'verl has one rollout.n; the recipe repeats critique prompts itself',
  );
  row(
    'critique.cacheCapacity',
    c.critique.cacheCapacity,
    'gcrl.critique.cache_capacity',
    c.critique.cacheCapacity,
    'recipe',
  );
  for (const k of TABLE_CELLS)
    row(
      `critique.reward.${k}`,
      c.critique.reward[k],
      `reward.custom_reward_function.reward_kwargs.reward_table.${snakeCell(k)}`,
      c.critique.reward[k],
      'recipe',
      'read by reward_gcrl.compute_score',
    );
  row(
    'critique.denoiseM',
    c.critique.denoiseM,
    'gcrl.critique.denoise_m',
    c.critique.denoiseM,
    'recipe',
    'Eq. 4 refinements: generated by the trainer, k travels in extra_info',
  );
  row(
    'critique.staticResponses',
    c.critique.staticResponses,
    'gcrl.critique.static_responses',
    c.critique.staticResponses,
    'recipe',
  );
  row(
    'grpo.advantage',
    c.grpo.advantage,
    'algorithm.adv_estimator, algorithm.norm_adv_by_std_in_grpo',
    `${adv.estimator}, ${adv.normStd}`,
    c.grpo.advantage === 'median' ? 'recipe' : 'verl',
    c.grpo.advantage === 'median'
      ? 'the MC-GRPO median baseline has no verl name: the recipe registers gcrl_median'
      : c.grpo.advantage === 'drGrpo'
        ? "Dr. GRPO is grpo without std normalisation (verl's paper setting also uses loss_agg_mode seq-mean-token-sum-norm; the playground keeps its own aggregation setting)"
        : 'verl gives a one-sample group its raw reward as advantage, the playground 0',
  );
  row(
    'grpo.grouping',
    c.grpo.grouping,
    'gcrl.grouping (the uid column)',
    GROUPING[c.grpo.grouping],
    'recipe',
    "verl groups by non_tensor_batch.uid; critiques always carry their question's uid as question_uid; gcrl.grouping=question groups them with it",
  );
  row(
    'grpo.skipZeroVariance',
    c.grpo.skipZeroVariance,
    'gcrl.skip_zero_variance',
    c.grpo.skipZeroVariance,
    'recipe',
  );
  row(
    'grpo.miniBatch',
    c.grpo.miniBatch,
    'actor_rollout_ref.actor.ppo_mini_batch_size',
    mini,
    'verl',
    `verl counts prompts (× rollout.n = ${mini * c.rollout.n} sequences)`,
  );
  row('grpo.epochs', c.grpo.epochs, 'actor_rollout_ref.actor.ppo_epochs', c.grpo.epochs, 'verl');
  row(
    'grpo.lr',
    c.grpo.lr,
    'actor_rollout_ref.actor.optim.lr',
    c.grpo.lr,
    'verl',
    'a toy-model rate: the paper used 1e-6 for 7B models',
  );
  row('grpo.clipLow', c.grpo.clipLow, 'actor_rollout_ref.actor.clip_ratio_low', c.grpo.clipLow, 'verl');
  row('grpo.clipHigh', c.grpo.clipHigh, 'actor_rollout_ref.actor.clip_ratio_high', c.grpo.clipHigh, 'verl');
  row(
    'grpo.klCoef',
    c.grpo.klCoef,
    'actor_rollout_ref.actor.use_kl_loss, kl_loss_coef',
    `${c.grpo.klCoef > 0}, ${c.grpo.klCoef}`,
    'verl',
  );
  row('grpo.kl', c.grpo.kl, 'actor_rollout_ref.actor.kl_loss_type', KL_TYPES[c.grpo.kl], 'verl');
  row(
    'grpo.aggregation',
    c.grpo.aggregation,
    'actor_rollout_ref.actor.loss_agg_mode',
    c.grpo.aggregation,
    'verl',
  );
  row(
    'eval.every',
    c.eval.every,
    'trainer.test_freq',
    c.eval.every || -1,
    'verl',
    "responses by verl's _validate(), the critic on the balanced held-out set by the recipe (gcrl.critic_eval)",
  );
  row('eval.questions', c.eval.questions, 'data.val_max_samples', c.eval.questions, 'verl');
  row(
    '(constant) AdamW β1, β2, weight decay',
    `${ADAMW_DEFAULTS.beta1}, ${ADAMW_DEFAULTS.beta2}, ${ADAMW_DEFAULTS.weightDecay}`,
    'actor_rollout_ref.actor.optim.betas, weight_decay',
    `[${ADAMW_DEFAULTS.beta1}, ${ADAMW_DEFAULTS.beta2}], ${ADAMW_DEFAULTS.weightDecay}`,
    'verl',
  );
  row(
    '(constant) AdamW ε',
    ADAMW_DEFAULTS.eps,
    '—',
    'torch AdamW default 1e-8',
    'none',
    'verl exposes no optimizer eps',
  );
  row(
    '(constant) grad-norm clip',
    ADAMW_DEFAULTS.maxGradNorm,
    'actor_rollout_ref.actor.grad_clip',
    ADAMW_DEFAULTS.maxGradNorm,
    'verl',
  );
  row('(constant) mini-batch shuffle each epoch', true, 'actor_rollout_ref.actor.shuffle', true, 'verl');
  row(
    '(constant) running p momentum',
    0.9,
    'gcrl.p_momentum',
    0.9,
    'recipe',
    'p = E[R(o)] for Eq. 3, an EMA over first-order batches',
  );
  row('(constant) Eq. 3 clamp of p', 1e-3, '—', 'reward_gcrl.WEIGHT_EPS', 'recipe');
  row(
    '(page) positive class',
    'correct',
    'gcrl.positive_class',
    'correct',
    'recipe',
    'precision/recall convention of the critic metrics',
  );
  row(
    '(trainer) balanced held-out critique set, eval/critic/*',
    'every eval.every steps',
    'gcrl.critic_eval',
    c.eval.every > 0,
    'recipe',
    "verl's _validate() scores responses only: the recipe builds the set once before training (4 responses per held-out question, 1 correct + 1 wrong kept) and adds greedy critic metrics at every validation",
  );

  return { ...trainerYaml(c, o), rows, checks: batchChecks(c, o) };
}
