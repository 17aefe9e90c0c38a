// The exported decoder: the policy's forward as one KV-cached ONNX graph following the gpt2
// export convention that transformers.js (and Optimum) expect, built with the engine's own graph
// builder. Batch, sequence and past lengths are symbolic, so one file serves prefill and decode.
import type { HostTensor } from '../engine/dtype.js';
import { type Graph, Graph as GraphClass, type Shape, type Value } from '../engine/graph.js';
import { encodeModel } from '../engine/onnx-proto.js';
import * as op from '../engine/ops.js';
import type { GptConfig } from '../model/gpt.js';
import { gelu } from '../nn/layers.js';

/** Symbolic dimension names (the names Optimum writes for gpt2). */
export const DIM = {
  batch: 'batch_size',
  seq: 'sequence_length',
  past: 'past_sequence_length',
  total: 'past_sequence_length + sequence_length',
} as const;

// Placeholder sizes the builder tracks while the graph is built; replaced by DIM names on export.
// Distinct values so that a shape mixed up with another fails at build time.
const B = 2;
const S = 3;
const P = 5;
const T = P + S;
const SYMBOL: Readonly<Record<number, string>> = {
  [B]: DIM.batch,
  [S]: DIM.seq,
  [P]: DIM.past,
  [T]: DIM.total,
};

/** Graph input and output names, as transformers.js looks them up. */
export const pastName = (i: number, kv: 'key' | 'value') => `past_key_values.${i}.${kv}`;
export const presentName = (i: number, kv: 'key' | 'value') => `present.${i}.${kv}`;
export const DECODER_INPUTS = ['input_ids', 'attention_mask', 'position_ids'] as const;

const MASKED = -1e9; // the engine's additive mask value (src/model/batch.ts)

/** Reshape with ONNX's 0 = "copy this dimension", so symbolic leading dims survive. */
function reshapeKeep(x: Value, tail: readonly number[], lead: number): Value {
  const shape = [...x.shape.slice(0, lead), ...tail];
  const spec = x.graph.constant('int64', [lead + tail.length], [...Array(lead).fill(0), ...tail], 'shape');
  return x.graph.addNode('Reshape', [x, spec], [{ dtype: x.dtype, shape }])[0] as Value;
}

/** One dimension of x's runtime shape as an int64 scalar. */
function dimOf(x: Value, axis: number): Value {
  const g = x.graph;
  const s = g.addNode('Shape', [x], [{ dtype: 'int64', shape: [1] }], {
    start: { kind: 'int', value: axis },
    end: { kind: 'int', value: axis + 1 },
  })[0] as Value;
  return op.squeeze(s, [0]);
}

function range(g: Graph, start: Value, limit: Value, n: number): Value {
  return g.addNode(
    'Range',
    [start, limit, g.scalar(1, 'int64')],
    [{ dtype: 'int64', shape: [n] }],
  )[0] as Value;
}

/**
 * Additive attention bias [B, 1, S, T]: query i (absolute position T−S+i in the cache) sees key j
 * iff j ≤ T−S+i and attention_mask[b, j] = 1 — the engine's rule, from runtime shapes.
 */
function attentionBias(ids: Value, mask: Value): Value {
  const g = ids.graph;
  const total = dimOf(mask, 1);
  const seq = dimOf(ids, 1);
  const keys = range(g, g.scalar(0, 'int64'), total, T); // [T]
  const queries = range(g, op.sub(total, seq), total, S); // [S]
  const causal = g.addNode(
    'LessOrEqual',
    [op.unsqueeze(keys, [0]), op.unsqueeze(queries, [1])],
    [{ dtype: 'bool', shape: [S, T] }],
  )[0] as Value; // [S, T]
  const real = op.unsqueeze(op.cast(mask, 'bool'), [1, 2]); // [B, 1, 1, T]
  return op.where(op.and(causal, real), g.scalar(0), g.scalar(MASKED)); // [B, 1, S, T]
}

type Weights = ReadonlyMap<string, HostTensor>;

function weight(g: Graph, w: Weights, name: string): Value {
  const t = w.get(name);
  if (!t) throw new Error(`weights lack parameter '${name}'`);
  return g.constant('float32', t.shape, t.data as Float32Array, name);
}

/** x [.., In] @ W [In, Out] + b, with no static reshape (MatMul broadcasts the leading dims). */
const dense = (x: Value, w: Value, b: Value): Value => op.add(op.matmul(x, w), b);

/** Splits [B, S, C] into heads [B, H, S, hd]. */
const heads = (x: Value, nHead: number, hd: number): Value =>
  op.transpose(reshapeKeep(x, [nHead, hd], 2), [0, 2, 1, 3]);

/** Builds the exported decoder graph holding `weights` as initializers. */
export function decoderGraph(c: GptConfig, weights: Weights): Graph {
  const g = new GraphClass('gcrl_gpt2_decoder');
  const p = (n: string) => weight(g, weights, n);
  const hd = c.dModel / c.nHead;
  const ids = g.input('input_ids', 'int64', [B, S]);
  const mask = g.input('attention_mask', 'int64', [B, T]);
  const positions = g.input('position_ids', 'int64', [B, S]);
  const past = Array.from({ length: c.nLayer }, (_, i) => ({
    k: g.input(pastName(i, 'key'), 'float32', [B, c.nHead, P, hd]),
    v: g.input(pastName(i, 'value'), 'float32', [B, c.nHead, P, hd]),
  }));
  const bias = attentionBias(ids, mask); // [B, 1, S, T]
  // Positions past the table reuse its last row, as the engine's decode loop does.
  const pos = op.min(positions, g.scalar(c.ctx - 1, 'int64'));
  let x = op.add(op.gather(p('wte'), ids), op.gather(p('wpe'), pos)); // [B, S, C]
  for (let i = 0; i < c.nLayer; i++) {
    const w = (n: string) => p(`h${i}.${n}`);
    x = g.scope(`h${i}`, () => {
      const ln = op.layerNorm(x, w('ln1.g'), w('ln1.b'));
      const qkv = dense(ln, w('attn.wqkv'), w('attn.bqkv')); // [B, S, 3C]
      const part = (k: number) =>
        heads(op.slice(qkv, [k * c.dModel], [(k + 1) * c.dModel], [2]), c.nHead, hd);
      const k = op.concat([past[i]?.k as Value, part(1)], 2); // [B, H, T, hd]
      const v = op.concat([past[i]?.v as Value, part(2)], 2);
      g.output(k, presentName(i, 'key'));
      g.output(v, presentName(i, 'value'));
      const scores = op.add(op.mul(op.matmul(part(0), op.transposeLast(k)), 1 / Math.sqrt(hd)), bias); // [B, H, S, T]
      const y = op.transpose(op.matmul(op.softmax(scores, -1), v), [0, 2, 1, 3]); // [B, S, H, hd]
      const att = dense(reshapeKeep(y, [c.dModel], 2), w('attn.wo'), w('attn.bo')); // [B, S, C]
      const h = op.add(x, att);
      const m = gelu(dense(op.layerNorm(h, w('ln2.g'), w('ln2.b')), w('mlp.w1'), w('mlp.b1')));
      return op.add(h, dense(m, w('mlp.w2'), w('mlp.b2')));
    });
  }
  const final = op.layerNorm(x, p('lnf.g'), p('lnf.b'));
  g.output(op.matmul(final, op.transposeLast(p('wte'))), 'logits'); // [B, S, V]
  return g;
}

/** Replaces the placeholder sizes on the symbolic axes (-1 in `axes`) by their names. */
function symbolic(shape: { dim: { dimValue?: number }[] }, axes: Shape): void {
  shape.dim = shape.dim.map((d, k) => {
    const name = axes[k] === -1 ? SYMBOL[d.dimValue as number] : undefined;
    if (axes[k] === -1 && !name) throw new Error(`axis ${k} holds ${d.dimValue}, not a placeholder size`);
    return name ? { dimParam: name } : d;
  }) as { dimValue?: number }[];
}

type ValueInfo = { name: string; type: { tensorType: { shape: { dim: { dimValue?: number }[] } } } };

/** The decoder as ONNX bytes with symbolic batch/sequence/past dimensions. */
export function exportDecoderOnnx(c: GptConfig, weights: Weights): Uint8Array {
  const g = decoderGraph(c, weights);
  const model = g.toModelObject() as { graph: { input: ValueInfo[]; output: ValueInfo[] } };
  const hd = c.dModel / c.nHead;
  // Per input/output: -1 on the symbolic axes, the fixed size elsewhere.
  const fixedOf = (name: string): Shape =>
    name.startsWith('past_') || name.startsWith('present.')
      ? [-1, c.nHead, -1, hd]
      : name === 'logits'
        ? [-1, -1, c.vocab]
        : [-1, -1];
  for (const v of [...model.graph.input, ...model.graph.output])
    symbolic(v.type.tensorType.shape, fixedOf(v.name));
  return encodeModel(model);
}
