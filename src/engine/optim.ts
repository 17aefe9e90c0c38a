// The optimiser as ONNX: AdamW (bias-corrected, decoupled weight decay) with global grad-norm
// clipping, its state (m, v) taken as graph inputs and returned as graph outputs.
import type { Value } from './graph.js';
import * as op from './ops.js';

export interface AdamWConfig {
  beta1: number; // first-moment decay (default 0.9)
  beta2: number; // second-moment decay (default 0.999)
  eps: number; // denominator epsilon (default 1e-8)
  weightDecay: number; // decoupled decay per step, scaled by lr (default 0.01)
  maxGradNorm: number; // clip the global L2 norm of all grads to this; Infinity disables
}

export const ADAMW_DEFAULTS: Readonly<AdamWConfig> = Object.freeze({
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0.01,
  maxGradNorm: 1.0,
});

export interface AdamWParam {
  value: Value; // the parameter
  grad: Value; // d loss / d parameter
  m: Value; // first moment (graph input)
  v: Value; // second moment (graph input)
  decay: boolean; // apply weight decay (false for biases, norms, embeddings by choice)
}

export interface AdamWResult {
  params: Value[];
  m: Value[];
  v: Value[];
  gradNorm: Value; // global norm before clipping, scalar
}

/** sqrt(sum_i ||g_i||^2): the global L2 norm of several tensors, as a scalar. */
export function globalNorm(grads: readonly Value[]): Value {
  const sq = grads.map((g) => op.sum(op.mul(g, g)));
  const total = sq.slice(1).reduce((acc, s) => op.add(acc, s), sq[0] as Value);
  return op.sqrt(total);
}

/**
 * One AdamW step. `lr` and `step` (1-based, float) are scalar graph inputs so a schedule and the
 * bias correction change per step without rebuilding the graph.
 */
export function adamw(
  params: readonly AdamWParam[],
  lr: Value,
  step: Value,
  cfg: AdamWConfig = ADAMW_DEFAULTS,
): AdamWResult {
  const g = lr.graph;
  return g.scope('adamw', () => {
    const gradNorm = globalNorm(params.map((p) => p.grad));
    // Clip factor min(1, maxNorm / (norm + 1e-6)), shared by all grads.
    const scale = Number.isFinite(cfg.maxGradNorm)
      ? op.min(1, op.div(cfg.maxGradNorm, op.add(gradNorm, 1e-6)))
      : null;
    const bc1 = op.sub(1, op.pow(g.scalar(cfg.beta1, lr.dtype), step)); // 1 - beta1^t
    const bc2 = op.sub(1, op.pow(g.scalar(cfg.beta2, lr.dtype), step)); // 1 - beta2^t
    const stepSize = op.div(lr, bc1);
    const out: AdamWResult = { params: [], m: [], v: [], gradNorm };
    for (const p of params) {
      const grad = scale ? op.mul(p.grad, scale) : p.grad;
      const m = op.add(op.mul(p.m, cfg.beta1), op.mul(grad, 1 - cfg.beta1));
      const v = op.add(op.mul(p.v, cfg.beta2), op.mul(op.mul(grad, grad), 1 - cfg.beta2));
      const denom = op.add(op.sqrt(op.div(v, bc2)), cfg.eps);
      let w = p.decay && cfg.weightDecay ? op.mul(p.value, op.sub(1, op.mul(lr, cfg.weightDecay))) : p.value;
      w = op.sub(w, op.mul(stepSize, op.div(m, denom)));
      out.params.push(w);
      out.m.push(m);
      out.v.push(v);
    }
    return out;
  });
}
