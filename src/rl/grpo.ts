// Runs GRPO updates on a Policy in place: assembles the per-token tensors (advantages, behaviour
// and reference log-probs) for a mini-batch and runs the fused update graph.
import { hostTensor } from '../engine/dtype.js';
import { ADAMW_DEFAULTS, type AdamWConfig } from '../engine/optim.js';
import { contextBatch, sequenceFeeds } from '../model/batch.js';
import type { Policy } from '../model/policy.js';
import { disposeMoments, initMoments } from '../model/sft.js';
import { type Aggregation, grpoUpdateGraph, type KlEstimator } from './grpo-graph.js';

export interface GrpoSample {
  tokens: ArrayLike<number>; // prompt + completion
  promptLen: number;
  advantage: number; // one per sequence, applied to each of its completion tokens
  oldLogps: ArrayLike<number>; // behaviour-policy log-prob of each completion token
  refLogps: ArrayLike<number>; // frozen-reference log-prob of each completion token
}

export interface GrpoHyper {
  lr: number;
  clipLow: number; // ε: ratio floor 1 − ε (default 0.2)
  clipHigh: number; // upper ε (DAPO's clip-higher; default 0.2 = symmetric)
  klCoef: number; // β_KL (paper: 1e-3)
  kl: KlEstimator; // default k3
  aggregation: Aggregation; // default token-mean
}

export const GRPO_DEFAULTS: Readonly<GrpoHyper> = Object.freeze({
  lr: 1e-3,
  clipLow: 0.2,
  clipHigh: 0.2,
  klCoef: 1e-3,
  kl: 'k3',
  aggregation: 'token-mean',
});

export interface GrpoStepMetrics {
  'actor/loss': number;
  'actor/pg_loss': number;
  'actor/kl': number;
  'actor/entropy': number;
  'actor/clip_frac': number;
  'actor/ratio_mean': number;
  'actor/grad_norm': number;
}

export class GrpoUpdater {
  private steps = 0;

  constructor(
    readonly policy: Policy,
    readonly adamw: AdamWConfig = ADAMW_DEFAULTS,
  ) {
    initMoments(policy);
  }

  /** One optimiser step on a mini-batch. */
  async update(batch: readonly GrpoSample[], h: GrpoHyper = GRPO_DEFAULTS): Promise<GrpoStepMetrics> {
    const c = this.policy.config;
    const b = batch.length;
    const sb = contextBatch(batch, c.ctx);
    const len = sb.len;
    const adv = new Float32Array(b * len);
    const oldLogp = new Float32Array(b * len);
    const refLogp = new Float32Array(b * len);
    batch.forEach((s, r) => {
      const n = s.tokens.length - s.promptLen; // completion tokens: the last n target positions
      if (s.oldLogps.length !== n || s.refLogps.length !== n) {
        throw new Error(
          `sample ${r}: ${n} completion tokens but ${s.oldLogps.length} old / ${s.refLogps.length} ref log-probs`,
        );
      }
      for (let i = 0; i < n; i++) {
        const at = r * len + len - n + i;
        adv[at] = s.advantage;
        oldLogp[at] = s.oldLogps[i] as number;
        refLogp[at] = s.refLogps[i] as number;
      }
    });
    const key = `grpo:${b}:${len}:${h.kl}:${h.aggregation}`;
    const { program, built } = await this.policy.program(key, () =>
      grpoUpdateGraph(c, b, len, { kl: h.kl, aggregation: h.aggregation }, this.adamw),
    );
    this.steps++;
    const scalar = (v: number) => hostTensor('float32', [], [v]);
    const out = await this.policy.state.step(
      program,
      {
        ...sequenceFeeds(sb),
        adv: { dtype: 'float32', shape: [b, len], data: adv },
        old_logp: { dtype: 'float32', shape: [b, len], data: oldLogp },
        ref_logp: { dtype: 'float32', shape: [b, len], data: refLogp },
        clip_low: scalar(h.clipLow),
        clip_high: scalar(h.clipHigh),
        kl_coef: scalar(h.klCoef),
        lr: scalar(h.lr),
        step: scalar(this.steps),
      },
      built.feedback,
    );
    const num = (k: string) => Number(out[k]?.data[0]);
    const loss = num('loss');
    if (!Number.isFinite(loss)) throw new Error(`GRPO loss is ${loss} at update ${this.steps}`);
    return {
      'actor/loss': loss,
      'actor/pg_loss': num('pg_loss'),
      'actor/kl': num('kl'),
      'actor/entropy': num('entropy'),
      'actor/clip_frac': num('clip_frac'),
      'actor/ratio_mean': num('ratio_mean'),
      'actor/grad_norm': num('grad_norm'),
    };
  }

  dispose(): void {
    disposeMoments(this.policy);
  }
}
