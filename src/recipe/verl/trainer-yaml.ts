// The trainer yaml's overrides on verl's ppo_trainer for one playground config, with a comment on each choice.
import { ADAMW_DEFAULTS } from '../../engine/optim.js';
import type { TrainConfig } from '../../rl/config.js';
import { miniBatchPrompts } from './batches.js';
import { ADV, GROUPING, KL_TYPES, snakeCell, TABLE_CELLS } from './names.js';
import type { RecipeOptions } from './options.js';
import type { Comments, YamlMap } from './yaml.js';

/** Epochs enough that verl's data loader does not run out before `steps`. */
export const epochsFor = (c: TrainConfig): number =>
  Math.max(1, Math.ceil((c.steps * c.rollout.questions) / c.task.trainSize)) + 1;

export function trainerYaml(c: TrainConfig, o: RecipeOptions): { yaml: YamlMap; comments: Comments } {
  const mini = miniBatchPrompts(c, o.nnodes * o.gpusPerNode);
  const adv = ADV[c.grpo.advantage];
  const epochs = epochsFor(c);
  const table = Object.fromEntries(TABLE_CELLS.map((k) => [snakeCell(k), c.critique.reward[k]]));
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
      critic_eval: c.eval.every > 0,
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
  return { yaml, comments };
}
