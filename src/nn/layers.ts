// Transformer building blocks written with the op helpers (all ops that run on the WebGPU EP).
import type { Value } from '../engine/graph.js';
import * as op from '../engine/ops.js';

/** x @ W + b. x: [..., In], W: [In, Out], b: [Out] -> [..., Out] */
export const linear = (x: Value, w: Value, b?: Value): Value => {
  const y = op.matmul(x.shape.length === 2 ? x : op.reshape(x, [-1, x.shape.at(-1) as number]), w);
  const out = op.reshape(y, [...x.shape.slice(0, -1), w.shape[1] as number]);
  return b ? op.add(out, b) : out;
};

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as one fused node. */
export const gelu = (x: Value): Value => op.gelu(x);

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

/** Splits fused qkv [B, T, 3C] into q, k, v heads, each [B, H, T, hd]. */
function splitHeads(qkv: Value, nHead: number): [Value, Value, Value] {
  const [b, t, c3] = qkv.shape as [number, number, number];
  const c = c3 / 3;
  const head = (i: number) =>
    op.transpose(
      op.reshape(op.slice(qkv, [i * c], [(i + 1) * c], [2]), [b, t, nHead, c / nHead]),
      [0, 2, 1, 3],
    );
  return [head(0), head(1), head(2)];
}

/** softmax(q·kᵀ/√hd + bias)·v with heads merged back: q [B, H, S, hd], k/v [B, H, K, hd] -> [B, S, C]. */
function attend(q: Value, k: Value, v: Value, bias: Value): Value {
  const [b, h, s, hd] = q.shape as [number, number, number, number];
  const scores = op.add(op.mul(op.matmul(q, op.transposeLast(k)), 1 / Math.sqrt(hd)), bias); // [B, H, S, K]
  const y = op.matmul(op.softmax(scores, -1), v); // [B, H, S, hd]
  return op.reshape(op.transpose(y, [0, 2, 1, 3]), [b, s, h * hd]); // [B, S, C]
}

/** Causal multi-head self-attention. x: [B, T, C] -> [B, T, C]; `bias` adds to scores [.., T, T]. */
export function selfAttention(x: Value, p: AttentionWeights, nHead: number, bias: Value): Value {
  const [q, k, v] = splitHeads(linear(x, p.wqkv, p.bqkv), nHead);
  return linear(attend(q, k, v, bias), p.wo, p.bo);
}

/** A key/value cache of L slots per layer, and where the S new tokens go. */
export interface KvCache {
  k: Value; // [B, H, L, hd]
  v: Value; // [B, H, L, hd]
  write: Value; // [S, L] one-hot rows: new token s is stored in slot argmax(write[s])
}

/**
 * Self-attention of S new tokens over a KV cache: stores their keys/values in the slots `write`
 * names (elementwise + MatMul, no scatter: all GPU ops), then attends over all L slots.
 * x: [B, S, C], bias: [B, 1, S, L] -> y [B, S, C] and the updated cache.
 */
export function cachedSelfAttention(
  x: Value,
  p: AttentionWeights,
  nHead: number,
  bias: Value,
  cache: KvCache,
): { y: Value; k: Value; v: Value } {
  const [q, kNew, vNew] = splitHeads(linear(x, p.wqkv, p.bqkv), nHead); // [B, H, S, hd]
  const l = cache.write.shape[1] as number;
  const keep = op.reshape(op.sub(1, op.sum(cache.write, [0])), [1, 1, l, 1]); // 0 where written
  const place = op.transposeLast(cache.write); // [L, S]
  const k = op.add(op.mul(cache.k, keep), op.matmul(place, kNew)); // [B, H, L, hd]
  const v = op.add(op.mul(cache.v, keep), op.matmul(place, vNew));
  return { y: linear(attend(q, k, v, bias), p.wo, p.bo), k, v };
}

/**
 * Self-attention of S new tokens over a KV cache left as it stands: scores against the L cached
 * keys and the S new keys are joined (a [.., S, L + S] concat, never a copy of the cache), and the
 * new keys/values are returned for the caller to write into their slots. x: [B, S, C],
 * bias: [B, 1, S, L + S] (cache columns, then new-token columns), cache k/v: [B, H, L, hd]
 * -> y [B, S, C], k/v [B, H, S, hd].
 */
export function appendSelfAttention(
  x: Value,
  p: AttentionWeights,
  nHead: number,
  bias: Value,
  cache: { k: Value; v: Value },
): { y: Value; k: Value; v: Value } {
  const [q, k, v] = splitHeads(linear(x, p.wqkv, p.bqkv), nHead); // [B, H, S, hd]
  const [b, h, s, hd] = q.shape as [number, number, number, number];
  const l = cache.k.shape[2] as number;
  const scale = 1 / Math.sqrt(hd);
  const raw = op.concat([op.matmul(q, op.transposeLast(cache.k)), op.matmul(q, op.transposeLast(k))], -1);
  const probs = op.softmax(op.add(op.mul(raw, scale), bias), -1); // [B, H, S, L + S]
  const y = op.add(
    op.matmul(op.slice(probs, [0], [l], [3]), cache.v),
    op.matmul(op.slice(probs, [l], [l + s], [3]), v),
  ); // [B, H, S, hd]
  const merged = op.reshape(op.transpose(y, [0, 2, 1, 3]), [b, s, h * hd]); // [B, S, C]
  return { y: linear(merged, p.wo, p.bo), k, v };
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
