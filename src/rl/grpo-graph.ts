// The GRPO policy update as one fused ONNX graph: per-token log-probs under the current policy,
// the clipped importance-ratio surrogate (separate low/high clip), a KL penalty to the frozen
// reference (k1/k2/k3), loss aggregation, backward, grad clipping and AdamW.
import { Graph, type Value } from '../engine/graph.js';
import * as op from '../engine/ops.js';
import { ADAMW_DEFAULTS, type AdamWConfig } from '../engine/optim.js';
import { type BuiltGraph, type GptConfig, gptForward, gptParamSpecs, tokenLogProbs } from '../model/gpt.js';
import { paramInputs } from '../nn/params.js';
import { appendAdamWStep } from '../nn/train-step.js';
import { pick } from '../util/schema.js';

/** KL estimators of KL(π‖π_ref) from per-token log-probs (Schulman's k1, k2, k3). */
export const KL_ESTIMATORS = {
  k1: (logp: Value, ref: Value) => op.sub(logp, ref), // log π − log π_ref
  k2: (logp: Value, ref: Value) => op.mul(op.pow(op.sub(logp, ref), 2), 0.5), // ½ (log ratio)²
  k3: (logp: Value, ref: Value) => {
    const d = op.sub(ref, logp); // log(π_ref / π)
    return op.sub(op.sub(op.exp(d), d), 1); // e^d − d − 1 ≥ 0, low variance
  },
} satisfies Record<string, (logp: Value, ref: Value) => Value>;
export type KlEstimator = keyof typeof KL_ESTIMATORS;

/**
 * Loss aggregation over per-token losses L [B, T] with mask M:
 * token-mean: Σ L·M / Σ M; seq-mean-token-mean: mean over sequences of each one's token mean;
 * seq-mean-token-sum: mean over sequences of each one's token sum (Dr. GRPO style, no length norm).
 */
export const AGGREGATIONS = {
  'token-mean': (l: Value, m: Value) => op.div(op.sum(op.mul(l, m)), op.sum(m)),
  'seq-mean-token-mean': (l: Value, m: Value) =>
    op.mean(op.div(op.sum(op.mul(l, m), [1]), op.max(op.sum(m, [1]), 1))),
  'seq-mean-token-sum': (l: Value, m: Value) => op.mean(op.sum(op.mul(l, m), [1])),
} satisfies Record<string, (loss: Value, mask: Value) => Value>;
export type Aggregation = keyof typeof AGGREGATIONS;

export interface GrpoLossConfig {
  kl: KlEstimator; // default k3
  aggregation: Aggregation; // default token-mean
}

/**
 * Inputs beyond the params and moments: tokens, positions, bias, targets (as the log-prob graph),
 * `mask` [B, T] (completion tokens), `adv` [B, T] advantages, `old_logp` and `ref_logp` [B, T],
 * scalars `clip_low`, `clip_high` (ratio kept in [1 − low, 1 + high]), `kl_coef`, `lr`, `step`.
 * Outputs: `loss` and `new.*`, plus metrics `pg_loss`, `kl`, `entropy`, `clip_frac`, `ratio_mean`.
 */
export function grpoUpdateGraph(
  c: GptConfig,
  batch: number,
  t: number,
  lc: GrpoLossConfig,
  opt: AdamWConfig = ADAMW_DEFAULTS,
): BuiltGraph {
  const g = new Graph(`grpo_b${batch}_t${t}_${lc.kl}_${lc.aggregation}`);
  const specs = gptParamSpecs(c);
  const p = paramInputs(g, specs);
  const seq = [batch, t];
  const tokens = g.input('tokens', 'int32', seq);
  const positions = g.input('positions', 'int32', seq);
  const bias = g.input('bias', 'float32', [batch, t, t]);
  const targets = g.input('targets', 'int32', seq);
  const mask = g.input('mask', 'float32', seq);
  const adv = g.input('adv', 'float32', seq);
  const oldLogp = g.input('old_logp', 'float32', seq);
  const refLogp = g.input('ref_logp', 'float32', seq);
  const clipLow = g.input('clip_low', 'float32', []);
  const clipHigh = g.input('clip_high', 'float32', []);
  const klCoef = g.input('kl_coef', 'float32', []);

  const { logp, entropy } = tokenLogProbs(gptForward(p, tokens, positions, bias, c), targets); // [B, T]
  const ratio = op.exp(op.sub(logp, oldLogp));
  const clipped = op.min(op.max(ratio, op.sub(1, clipLow)), op.add(clipHigh, 1));
  const surr = op.mul(ratio, adv);
  const surrClipped = op.mul(clipped, adv);
  const pg = op.neg(op.min(surr, surrClipped)); // [B, T]
  const kl = pick(KL_ESTIMATORS, lc.kl, 'KL estimator')(logp, refLogp); // own names only
  const agg = pick(AGGREGATIONS, lc.aggregation, 'loss aggregation');
  const loss = agg(op.add(pg, op.mul(kl, klCoef)), mask);
  const tokenMean = (x: Value) => op.div(op.sum(op.mul(x, mask)), op.sum(mask));
  g.output(agg(pg, mask), 'pg_loss');
  g.output(tokenMean(kl), 'kl');
  g.output(tokenMean(entropy), 'entropy');
  g.output(tokenMean(op.cast(op.less(surrClipped, surr), 'float32')), 'clip_frac');
  g.output(tokenMean(ratio), 'ratio_mean');
  return { graph: g, specs, feedback: appendAdamWStep(g, specs, p, loss, opt) };
}
