// Transformer building blocks written with the op helpers (all ops that run on the WebGPU EP).
import type { Value } from '../engine/graph.js';
import * as op from '../engine/ops.js';

/** x @ W + b. x: [..., In], W: [In, Out], b: [Out] -> [..., Out] */
export const linear = (x: Value, w: Value, b?: Value): Value => {
  const y = op.matmul(x.shape.length === 2 ? x : op.reshape(x, [-1, x.shape.at(-1) as number]), w);
  const out = op.reshape(y, [...x.shape.slice(0, -1), w.shape[1] as number]);
  return b ? op.add(out, b) : out;
};

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export const gelu = (x: Value): Value => {
  const inner = op.mul(op.add(x, op.mul(op.mul(op.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return op.mul(op.mul(x, 0.5), op.add(op.tanh(inner), 1));
};

/** Additive causal mask [T, T]: 0 on and below the diagonal, -1e9 above. */
export function causalMask(x: Value, t: number): Value {
  const m = Array.from({ length: t * t }, (_, i) => (i % t > Math.floor(i / t) ? -1e9 : 0));
  return x.graph.constant(x.dtype, [t, t], m, 'causal_mask');
}

export interface AttentionWeights {
  wqkv: Value; // [C, 3C]
  bqkv: Value; // [3C]
  wo: Value; // [C, C]
  bo: Value; // [C]
}

/** Causal multi-head self-attention. x: [B, T, C] -> [B, T, C]; `bias` adds to scores [.., T, T]. */
export function selfAttention(x: Value, p: AttentionWeights, nHead: number, bias: Value): Value {
  const [b, t, c] = x.shape as [number, number, number];
  const hd = c / nHead;
  const qkv = linear(x, p.wqkv, p.bqkv); // [B, T, 3C]
  const heads = (i: number) =>
    op.transpose(op.reshape(op.slice(qkv, [i * c], [(i + 1) * c], [2]), [b, t, nHead, hd]), [0, 2, 1, 3]); // [B, H, T, hd]
  const [q, k, v] = [heads(0), heads(1), heads(2)];
  const scores = op.add(op.mul(op.matmul(q, op.transposeLast(k)), 1 / Math.sqrt(hd)), bias); // [B, H, T, T]
  const y = op.matmul(op.softmax(scores, -1), v); // [B, H, T, hd]
  const merged = op.reshape(op.transpose(y, [0, 2, 1, 3]), [b, t, c]); // [B, T, C]
  return linear(merged, p.wo, p.bo);
}

/** Mean token cross-entropy. logits [B, T, V], targets int [B, T], mask float [B, T] -> scalar */
export function maskedCrossEntropy(logits: Value, targets: Value, mask: Value): Value {
  const v = logits.shape.at(-1) as number;
  const logp = op.logSoftmaxGpu(logits, -1); // [B, T, V]
  const arange = logits.graph.constant(targets.dtype, [v], [...Array(v).keys()], 'vocab_ids');
  const onehot = op.cast(op.equal(op.unsqueeze(targets, [-1]), arange), logits.dtype); // [B, T, V]
  const nll = op.neg(op.sum(op.mul(logp, onehot), [-1])); // [B, T]
  return op.div(op.sum(op.mul(nll, mask)), op.sum(mask));
}
