// The batch sizes verl requires to divide (prompts × n over the GPUs), checked before a recipe is written.
import type { TrainConfig } from '../../rl/config.js';
import { trainsCritiques, trainsResponses } from './names.js';
import type { RecipeOptions } from './options.js';

export interface BatchCheck {
  name: string;
  ok: boolean;
  detail: string;
  fatal: boolean; // verl refuses to start (vs. a recipe-side trim or an approximation)
}

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
