// Supervised fine-tuning of a Policy in place: the fused forward+backward+AdamW graph, with the
// AdamW moments kept resident next to the weights, and a warm-up + cosine learning-rate schedule.
import { hostTensor } from '../engine/dtype.js';
import { ADAMW_DEFAULTS, type AdamWConfig } from '../engine/optim.js';
import { contextBatch, sequenceFeeds } from './batch.js';
import { gptParamSpecs, gptSftStepGraph } from './gpt.js';
import type { Policy } from './policy.js';

export interface SftOptions {
  lr: number; // peak learning rate (default 3e-3)
  warmup: number; // linear warm-up steps (default 20)
  totalSteps: number; // cosine decay to `minLrRatio`·lr over this many steps
  minLrRatio: number; // floor of the schedule (default 0.1)
  adamw: AdamWConfig;
}

export const SFT_DEFAULTS: Readonly<Omit<SftOptions, 'totalSteps'>> = Object.freeze({
  lr: 3e-3,
  warmup: 20,
  minLrRatio: 0.1,
  adamw: ADAMW_DEFAULTS,
});

/** Learning rate at 1-based `step`. */
export function lrAt(o: SftOptions, step: number): number {
  if (step <= o.warmup) return (o.lr * step) / Math.max(1, o.warmup);
  const t = Math.min(1, (step - o.warmup) / Math.max(1, o.totalSteps - o.warmup));
  return o.lr * (o.minLrRatio + (1 - o.minLrRatio) * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/** Zeroed AdamW moments `m.*` / `v.*` next to the policy's weights. */
export function initMoments(policy: Policy): void {
  for (const s of gptParamSpecs(policy.config)) {
    policy.state.set(`m.${s.name}`, hostTensor('float32', s.shape));
    policy.state.set(`v.${s.name}`, hostTensor('float32', s.shape));
  }
}

export function disposeMoments(policy: Policy): void {
  policy.state.delete(...gptParamSpecs(policy.config).flatMap((s) => [`m.${s.name}`, `v.${s.name}`]));
}

export interface SftExample {
  tokens: ArrayLike<number>; // prompt + completion (EOS included)
  promptLen: number; // only completion tokens are trained
  skip?: number; // ...except the first `skip` of them
}

export class SftTrainer {
  private stepCount = 0;
  readonly options: SftOptions;

  constructor(
    readonly policy: Policy,
    options: Partial<SftOptions> & Pick<SftOptions, 'totalSteps'>,
  ) {
    this.options = { ...SFT_DEFAULTS, ...options };
    initMoments(policy);
  }

  get step(): number {
    return this.stepCount;
  }

  /** One update on a batch; returns the masked mean cross-entropy before the update. */
  async train(batch: readonly SftExample[]): Promise<{ loss: number; gradNorm: number; lr: number }> {
    const c = this.policy.config;
    const b = batch.length;
    const sb = contextBatch(batch, c.ctx);
    const len = sb.len;
    const { program, built } = await this.policy.program(`sft:${b}:${len}`, () =>
      gptSftStepGraph(c, b, len, this.options.adamw),
    );
    this.stepCount++;
    const lr = lrAt(this.options, this.stepCount);
    const out = await this.policy.state.step(
      program,
      {
        ...sequenceFeeds(sb),
        lr: hostTensor('float32', [], [lr]),
        step: hostTensor('float32', [], [this.stepCount]),
      },
      built.feedback,
    );
    const loss = Number(out.loss?.data[0]);
    if (!Number.isFinite(loss)) throw new Error(`supervised loss is ${loss} at step ${this.stepCount}`);
    return { loss, gradNorm: Number(out.grad_norm?.data[0]), lr };
  }

  /** Frees the optimiser moments (the trained weights stay in the policy). */
  dispose(): void {
    this.policy.state.delete(
      ...gptParamSpecs(this.policy.config).flatMap((s) => [`m.${s.name}`, `v.${s.name}`]),
    );
  }
}
