// Every playground setting → verl's config keys (or the recipe's own gcrl.* keys, or "no counterpart"),
// plus the batch sizes verl requires to divide, so nothing of a run is dropped silently on the way to a cluster.
import { ADAMW_DEFAULTS } from '../../engine/optim.js';
import type { TrainConfig } from '../../rl/config.js';
import type { Comments, YamlMap } from './yaml.js';

/** What a real run needs that the playground has no notion of (model, cluster, token budgets). */
export interface RecipeOptions {
  model: string; // Hugging Face id or path of the chat model
  nnodes: number;
  gpusPerNode: number;
  maxPromptLength: number; // tokens; must hold the refinement prompt (question + response + critique)
  maxResponseLength: number; // tokens
  maxTokensPerGpu: number; // dynamic batch size budget (use_dynamic_bsz)
  rollout: 'vllm' | 'sglang';
  tensorParallel: number; // rollout tensor parallel size
}

export const RECIPE_DEFAULTS: Readonly<RecipeOptions> = Object.freeze({
  model: 'Qwen/Qwen2.5-1.5B-Instruct',
  nnodes: 1,
  gpusPerNode: 8,
  maxPromptLength: 2048,
  maxResponseLength: 1024,
  maxTokensPerGpu: 16384,
  rollout: 'vllm',
  tensorParallel: 1,
});

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

export interface BatchCheck {
  name: string;
  ok: boolean;
  detail: string;
  fatal: boolean; // verl refuses to start (vs. a recipe-side trim or an approximation)
}

export interface Mapping {
  yaml: YamlMap; // overrides on top of verl's ppo_trainer
  comments: Comments;
  rows: MappingRow[];
  checks: BatchCheck[];
}

const KL_TYPES = { k1: 'kl', k2: 'mse', k3: 'low_var_kl' } as const;
const ADV = {
  grpo: { estimator: 'grpo', normStd: true },
  drGrpo: { estimator: 'grpo', normStd: false },
  rloo: { estimator: 'rloo', normStd: true },
  median: { estimator: 'gcrl_median', normStd: true },
} as const;
const GROUPING = { 'per-prompt': 'per_prompt', mixed: 'step' } as const;
const TABLE_CELLS = ['correctRight', 'correctWrong', 'wrongRight', 'wrongWrong', 'missing'] as const;
const snakeCell = (k: string) => k.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`);

const trainsResponses = (c: TrainConfig) => c.mode === 'grl' || c.mode === 'gcrl';
const trainsCritiques = (c: TrainConfig) => c.mode !== 'grl' && c.mode !== 'coldstart-only';

/** Sequences one step sends to the update at full size: n responses per question and critique.n per pair. */
export function stepSequences(c: TrainConfig): number {
  return (
    (trainsResponses(c) ? c.rollout.questions * c.rollout.n : 0) +
    (trainsCritiques(c) ? c.critique.pairs * c.critique.n : 0)
  );
}

/**
 * verl counts `ppo_mini_batch_size` in prompts (× rollout.n sequences) and splits each mini-batch over
 * the GPUs: the largest mini-batch of at most `miniBatch` sequences that is a multiple of n·(GPU
 * count / gcd) and divides the prompt batch; 0 when none exists.
 */
export function miniBatchPrompts(c: TrainConfig, gpus: number): number {
  for (let m = Math.floor(c.grpo.miniBatch / c.rollout.n); m >= 1; m--) {
    if ((m * c.rollout.n) % gpus === 0 && c.rollout.questions % m === 0) return m;
  }
  return 0;
}

export function batchChecks(c: TrainConfig, o: RecipeOptions): BatchCheck[] {
  const gpus = o.nnodes * o.gpusPerNode;
  const n = c.rollout.n;
  const mini = miniBatchPrompts(c, gpus);
  const step = stepSequences(c);
  const seqs = mini * n;
  return [
    {
      name: 'train_batch_size × rollout.n divisible by the GPU count',
      ok: (c.rollout.questions * n) % gpus === 0,
      detail: `${c.rollout.questions} × ${n} = ${c.rollout.questions * n} over ${gpus} GPUs`,
      fatal: true,
    },
    {
      name: 'a ppo_mini_batch_size exists (prompts; × n a multiple of the GPU count; divides train_batch_size)',
      ok: mini > 0,
      detail: mini
        ? `${mini} prompts = ${seqs} sequences (playground miniBatch ${c.grpo.miniBatch} sequences)`
        : `no mini-batch ≤ ${c.grpo.miniBatch} sequences fits ${gpus} GPUs with n = ${n}`,
      fatal: true,
    },
    {
      name: 'mini-batch matches the playground exactly',
      ok: mini > 0 && seqs === c.grpo.miniBatch,
      detail: `${seqs} vs ${c.grpo.miniBatch} sequences`,
      fatal: false,
    },
    {
      name: 'step batch (responses + critiques) divisible by the GPU count',
      ok: step % gpus === 0,
      detail: `${step} sequences over ${gpus} GPUs (otherwise the trainer trims ${step % gpus} at random)`,
      fatal: false,
    },
    {
      name: 'step batch divides into whole mini-batches',
      ok: mini > 0 && step % seqs === 0,
      detail: `${step} sequences / ${seqs} per mini-batch`,
      fatal: false,
    },
  ];
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
  const epochs = Math.max(1, Math.ceil((c.steps * c.rollout.questions) / c.task.trainSize)) + 1;
  const table = Object.fromEntries(TABLE_CELLS.map((k) => [snakeCell(k), c.critique.reward[k]]));

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
    "held-out generation accuracy only: the playground's balanced held-out critique set (eval/critic/*) is not ported",
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
    '(page) held-out critique set, eval/critic/*',
    'every eval.every steps',
    '—',
    'not ported',
    'none',
    "verl's _validate() scores responses only; run the critic over a balanced held-out set offline",
  );

  const yaml: YamlMap = {
    hydra: { searchpath: ['pkg://verl.trainer.config'] },
    defaults: ['ppo_trainer', '_self_'],
    data: {
      train_files: 'data/train.parquet',
      val_files: 'data/test.parquet',
      train_batch_size: c.rollout.questions,
      val_max_samples: c.eval.questions,
      max_prompt_length: o.maxPromptLength,
      max_response_length: o.maxResponseLength,
      filter_overlong_prompts: true,
      truncation: 'error',
      seed: c.seed,
    },
    actor_rollout_ref: {
      model: { path: o.model, use_remove_padding: true, enable_gradient_checkpointing: true },
      actor: {
        optim: {
          lr: c.grpo.lr,
          betas: [ADAMW_DEFAULTS.beta1, ADAMW_DEFAULTS.beta2],
          weight_decay: ADAMW_DEFAULTS.weightDecay,
        },
        ppo_mini_batch_size: mini,
        use_dynamic_bsz: true,
        ppo_max_token_len_per_gpu: o.maxTokensPerGpu,
        ppo_epochs: c.grpo.epochs,
        shuffle: true,
        data_loader_seed: c.seed,
        clip_ratio_low: c.grpo.clipLow,
        clip_ratio_high: c.grpo.clipHigh,
        loss_agg_mode: c.grpo.aggregation,
        use_kl_loss: c.grpo.klCoef > 0,
        kl_loss_coef: c.grpo.klCoef,
        kl_loss_type: KL_TYPES[c.grpo.kl],
        entropy_coeff: 0,
        grad_clip: ADAMW_DEFAULTS.maxGradNorm,
      },
      rollout: {
        name: o.rollout,
        n: c.rollout.n,
        temperature: c.rollout.temperature,
        top_k: c.rollout.topK || -1,
        top_p: c.rollout.topP,
        seed: c.seed,
        tensor_model_parallel_size: o.tensorParallel,
        gpu_memory_utilization: 0.5,
      },
    },
    algorithm: {
      adv_estimator: adv.estimator,
      norm_adv_by_std_in_grpo: adv.normStd,
      use_kl_in_reward: false,
    },
    reward: {
      custom_reward_function: {
        path: 'reward_gcrl.py',
        name: 'compute_score',
        reward_kwargs: { reward_table: table },
      },
    },
    trainer: {
      use_v1: false,
      project_name: 'gcrl',
      experiment_name: `gcrl-${c.mode}-seed${c.seed}`,
      logger: ['console'],
      nnodes: o.nnodes,
      n_gpus_per_node: o.gpusPerNode,
      total_training_steps: c.steps,
      total_epochs: epochs,
      test_freq: c.eval.every || -1,
      save_freq: -1,
      val_before_train: true,
      critic_warmup: 0,
    },
    gcrl: {
      mode: c.mode,
      seed: c.seed,
      p_momentum: 0.9,
      positive_class: 'correct',
      grouping: GROUPING[c.grpo.grouping],
      skip_zero_variance: c.grpo.skipZeroVariance,
      critique: {
        input: c.critique.input,
        pairs: c.critique.pairs,
        n: c.critique.n,
        cache_capacity: c.critique.cacheCapacity,
        denoise_m: c.critique.denoiseM,
        static_responses: c.critique.staticResponses,
      },
    },
  };
  const comments: Comments = {
    hydra: "verl's own ppo_trainer.yaml, from the installed verl package",
    data: 'data/*.parquet: made by prepare_data.py from the exported playground split; swap in a real dataset (README)',
    'data.max_prompt_length':
      'must hold the longest prompt the recipe builds: question + response + critique (refinement)',
    'actor_rollout_ref.actor.ppo_mini_batch_size': `prompts (× rollout.n sequences); playground miniBatch ${c.grpo.miniBatch} sequences`,
    'actor_rollout_ref.actor.use_dynamic_bsz':
      'token-budget micro-batches: no micro-batch size has to divide the mini-batch',
    'actor_rollout_ref.actor.kl_loss_type': `playground ${c.grpo.kl}`,
    'algorithm.adv_estimator': `playground ${c.grpo.advantage}${c.grpo.advantage === 'median' ? ' (registered by gcrl_ray_trainer.py)' : ''}`,
    'reward.custom_reward_function.reward_kwargs':
      "static reward settings; p and refinement counts travel in each sample's extra_info",
    'trainer.use_v1': 'the recipe overrides the legacy RayPPOTrainer.fit(), as the DAPO recipe does',
    gcrl: 'GC-RL settings with no verl key, read by gcrl_ray_trainer.py',
    'gcrl.grouping':
      'per_prompt | question (critiques grouped with their question\'s responses) | step (one group per step: the playground\'s "mixed")',
  };
  return { yaml, comments, rows, checks: batchChecks(c, o) };
}
