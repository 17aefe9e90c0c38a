// The policy: a tiny GPT (token + position embeddings, pre-LN blocks, causal multi-head attention,
// GELU MLP, tied LM head) and the ONNX graphs the playground runs on it: a KV-cached decode step,
// per-token log-probs and entropy, and the fused supervised training step.
import { Graph, type Value } from '../engine/graph.js';
import * as op from '../engine/ops.js';
import { ADAMW_DEFAULTS, type AdamWConfig } from '../engine/optim.js';
import {
  appendSelfAttention,
  cachedSelfAttention,
  gelu,
  linear,
  maskedCrossEntropy,
  selfAttention,
} from '../nn/layers.js';
import { normalParam, onesParam, type ParamSpec, paramInputs, zerosParam } from '../nn/params.js';
import { appendAdamWStep } from '../nn/train-step.js';

export interface GptConfig {
  vocab: number; // V: vocabulary size (from the tokenizer)
  ctx: number; // L: longest sequence in tokens (default 32: a 3-digit refinement prompt + answer fits)
  nLayer: number; // transformer blocks (default 2)
  dModel: number; // C: residual width (default 64)
  nHead: number; // attention heads (default 4; C must divide evenly)
  dMlp: number; // MLP hidden width (default 4·C)
}

export const GPT_DEFAULTS: Readonly<Omit<GptConfig, 'vocab'>> = Object.freeze({
  ctx: 32,
  nLayer: 2,
  dModel: 64,
  nHead: 4,
  dMlp: 256,
});

/**
 * Upper bounds on every dimension and on the total parameter count, checked before anything is
 * allocated: far above the shipped models (24 × 64 × 2 layers, ≈ 0.1 M parameters), far below what
 * exhausts a laptop (a 50 M-parameter model is 200 MB of float32 weights, ×4 with AdamW moments).
 */
export const GPT_BOUNDS = Object.freeze({
  vocab: 4096,
  ctx: 1024,
  nLayer: 48,
  dModel: 2048,
  nHead: 64,
  dMlp: 8192,
  parameters: 50_000_000,
});

/** Parameter count from the dimensions alone (no tensor list is built). */
export function gptParameterCount(c: GptConfig): number {
  const { vocab: v, ctx: l, dModel: d, dMlp: h } = c;
  const block = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d + (d * h + h) + (h * d + d);
  return v * d + l * d + c.nLayer * block + 2 * d;
}

/** Every problem with a config, or an empty list (types, ranges, divisibility, parameter budget). */
export function gptConfigErrors(c: GptConfig): string[] {
  const errs: string[] = [];
  for (const k of ['vocab', 'ctx', 'nLayer', 'dModel', 'nHead', 'dMlp'] as const) {
    const v = (c as unknown as Record<string, unknown>)[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > GPT_BOUNDS[k])
      errs.push(`${k} must be an integer in [1, ${GPT_BOUNDS[k]}] (got ${JSON.stringify(v) ?? v})`);
  }
  const bad = (k: string) => errs.some((e) => e.startsWith(`${k} `));
  if (!bad('dModel') && !bad('nHead') && c.dModel % c.nHead !== 0)
    errs.push(`dModel (${c.dModel}) must be divisible by nHead (${c.nHead})`);
  if (errs.length) return errs; // the parameter count needs every dimension
  const n = gptParameterCount(c);
  if (n > GPT_BOUNDS.parameters)
    errs.push(
      `the model would have ${n.toLocaleString('en')} parameters (at most ${GPT_BOUNDS.parameters.toLocaleString('en')})`,
    );
  return errs;
}

export function gptParamSpecs(c: GptConfig): ParamSpec[] {
  const { vocab: v, ctx: l, dModel: d, dMlp: h } = c;
  const [w, zeros, ones] = [normalParam, zerosParam, onesParam];
  const residualStd = 0.02 / Math.sqrt(2 * c.nLayer); // GPT-2: scale projections into the residual stream
  const specs: ParamSpec[] = [w('wte', [v, d]), w('wpe', [l, d])];
  for (let i = 0; i < c.nLayer; i++) {
    const b = `h${i}.`;
    specs.push(
      ones(`${b}ln1.g`, d),
      zeros(`${b}ln1.b`, d),
      w(`${b}attn.wqkv`, [d, 3 * d]),
      zeros(`${b}attn.bqkv`, 3 * d),
      w(`${b}attn.wo`, [d, d], residualStd),
      zeros(`${b}attn.bo`, d),
      ones(`${b}ln2.g`, d),
      zeros(`${b}ln2.b`, d),
      w(`${b}mlp.w1`, [d, h]),
      zeros(`${b}mlp.b1`, h),
      w(`${b}mlp.w2`, [h, d], residualStd),
      zeros(`${b}mlp.b2`, d),
    );
  }
  specs.push(ones('lnf.g', d), zeros('lnf.b', d));
  return specs;
}

type Params = Record<string, Value>;
const P = (p: Params, name: string): Value => {
  const v = p[name];
  if (!v) throw new Error(`missing parameter '${name}'`);
  return v;
};
const attnWeights = (p: Params, i: number) => ({
  wqkv: P(p, `h${i}.attn.wqkv`),
  bqkv: P(p, `h${i}.attn.bqkv`),
  wo: P(p, `h${i}.attn.wo`),
  bo: P(p, `h${i}.attn.bo`),
});

/** MLP half of block i on the residual stream x [B, S, C]. */
function mlpBlock(p: Params, i: number, x: Value): Value {
  const h = gelu(
    linear(
      op.layerNorm(x, P(p, `h${i}.ln2.g`), P(p, `h${i}.ln2.b`)),
      P(p, `h${i}.mlp.w1`),
      P(p, `h${i}.mlp.b1`),
    ),
  );
  return op.add(x, linear(h, P(p, `h${i}.mlp.w2`), P(p, `h${i}.mlp.b2`)));
}

const embed = (p: Params, tokens: Value, positions: Value): Value =>
  op.add(op.gather(P(p, 'wte'), tokens), op.gather(P(p, 'wpe'), positions)); // [B, S, C]

/** Final norm and tied head: x [B, S, C] -> logits [B, S, V]. */
const head = (p: Params, x: Value): Value =>
  linear(op.layerNorm(x, P(p, 'lnf.g'), P(p, 'lnf.b')), op.transposeLast(P(p, 'wte')));

/**
 * Full forward over a batch of sequences. tokens, positions: int32 [B, T]; bias: [B, T, T]
 * additive mask (0 where query i may see key j: j ≤ i and j is a real token; -1e9 elsewhere).
 * Returns logits [B, T, V].
 */
export function gptForward(p: Params, tokens: Value, positions: Value, bias: Value, c: GptConfig): Value {
  const mask = op.unsqueeze(bias, [1]); // [B, 1, T, T]
  let x = embed(p, tokens, positions);
  for (let i = 0; i < c.nLayer; i++) {
    x = tokens.graph.scope(`h${i}`, () => {
      const ln = op.layerNorm(x, P(p, `h${i}.ln1.g`), P(p, `h${i}.ln1.b`));
      return mlpBlock(p, i, op.add(x, selfAttention(ln, attnWeights(p, i), c.nHead, mask)));
    });
  }
  return head(p, x);
}

/** log p(target) and entropy per position: logits [B, T, V], targets int32 [B, T] -> two [B, T]. */
export function tokenLogProbs(logits: Value, targets: Value): { logp: Value; entropy: Value } {
  const v = logits.shape.at(-1) as number;
  const logp = op.logSoftmaxGpu(logits, -1); // [B, T, V]
  const ids = logits.graph.constant(targets.dtype, [v], [...Array(v).keys()], 'vocab_ids');
  const onehot = op.cast(op.equal(op.unsqueeze(targets, [-1]), ids), logits.dtype);
  return {
    logp: op.sum(op.mul(logp, onehot), [-1]),
    entropy: op.neg(op.sum(op.mul(op.exp(logp), logp), [-1])),
  };
}

export interface BuiltGraph {
  graph: Graph;
  specs: ParamSpec[];
  /** Output name -> the input it replaces next run (state kept on the device). */
  feedback: Record<string, string>;
}

/** Names of the cache inputs of layer i. */
export const cacheNames = (i: number) => ({ k: `cache.k.${i}`, v: `cache.v.${i}` });

/**
 * One decoding step over S new tokens per row with a KV cache of L slots (L ≤ ctx: the prompt
 * bucket plus the tokens to generate; S = prompt length for prefill, 1 for each generated token). Inputs: params, tokens/positions int32 [B, S],
 * bias [B, S, L], write [S, L] (one-hot slot of each new token), cache.k.i / cache.v.i
 * [B, H, L, hd]. Outputs: `logits` [B, V] of the last new token, updated caches `new.cache.*`.
 */
export function gptDecodeStepGraph(c: GptConfig, batch: number, s: number, slots = c.ctx): BuiltGraph {
  if (slots > c.ctx) throw new Error(`a KV cache of ${slots} slots exceeds the context of ${c.ctx}`);
  const g = new Graph(`gpt_decode_b${batch}_s${s}_l${slots}`);
  const specs = gptParamSpecs(c);
  const p = paramInputs(g, specs);
  const hd = c.dModel / c.nHead;
  const tokens = g.input('tokens', 'int32', [batch, s]);
  const positions = g.input('positions', 'int32', [batch, s]);
  const bias = op.unsqueeze(g.input('bias', 'float32', [batch, s, slots]), [1]); // [B, 1, S, L]
  const write = g.input('write', 'float32', [s, slots]);
  const feedback: Record<string, string> = {};
  let x = embed(p, tokens, positions);
  for (let i = 0; i < c.nLayer; i++) {
    const names = cacheNames(i);
    const cache = {
      k: g.input(names.k, 'float32', [batch, c.nHead, slots, hd]), // [B, H, L, hd]
      v: g.input(names.v, 'float32', [batch, c.nHead, slots, hd]),
      write,
    };
    x = g.scope(`h${i}`, () => {
      const ln = op.layerNorm(x, P(p, `h${i}.ln1.g`), P(p, `h${i}.ln1.b`));
      const att = cachedSelfAttention(ln, attnWeights(p, i), c.nHead, bias, cache);
      g.output(att.k, `new.${names.k}`);
      g.output(att.v, `new.${names.v}`);
      return mlpBlock(p, i, op.add(x, att.y));
    });
    feedback[`new.${names.k}`] = names.k;
    feedback[`new.${names.v}`] = names.v;
  }
  const last = op.reshape(op.slice(x, [s - 1], [s], [1]), [batch, c.dModel]); // [B, C]
  g.output(op.reshape(head(p, op.unsqueeze(last, [1])), [batch, c.vocab]), 'logits');
  return { graph: g, specs, feedback };
}

/**
 * The decode step for backends whose resident state lives in host memory (node-cpu, web-wasm):
 * the caches go in as they stand and only the S new keys/values come out (`kv.k.i`, `kv.v.i`
 * [B, H, S, hd]), which the host writes into their slots — no run rewrites or copies a whole
 * cache. Inputs: params, tokens/positions int32 [B, S], bias [B, S, L + S] (cache slots, then the
 * new tokens), cache.k.i / cache.v.i [B, H, L, hd]. Outputs: `logits` [B, V] of the last new token.
 */
export function gptAppendStepGraph(c: GptConfig, batch: number, s: number, slots = c.ctx): BuiltGraph {
  if (slots > c.ctx) throw new Error(`a KV cache of ${slots} slots exceeds the context of ${c.ctx}`);
  const g = new Graph(`gpt_append_b${batch}_s${s}_l${slots}`);
  const specs = gptParamSpecs(c);
  const p = paramInputs(g, specs);
  const hd = c.dModel / c.nHead;
  const tokens = g.input('tokens', 'int32', [batch, s]);
  const positions = g.input('positions', 'int32', [batch, s]);
  const bias = op.unsqueeze(g.input('bias', 'float32', [batch, s, slots + s]), [1]); // [B, 1, S, L + S]
  let x = embed(p, tokens, positions);
  for (let i = 0; i < c.nLayer; i++) {
    const names = cacheNames(i);
    const cache = {
      k: g.input(names.k, 'float32', [batch, c.nHead, slots, hd]), // [B, H, L, hd]
      v: g.input(names.v, 'float32', [batch, c.nHead, slots, hd]),
    };
    x = g.scope(`h${i}`, () => {
      const ln = op.layerNorm(x, P(p, `h${i}.ln1.g`), P(p, `h${i}.ln1.b`));
      const att = appendSelfAttention(ln, attnWeights(p, i), c.nHead, bias, cache);
      g.output(att.k, `kv.k.${i}`);
      g.output(att.v, `kv.v.${i}`);
      return mlpBlock(p, i, op.add(x, att.y));
    });
  }
  const last = op.reshape(op.slice(x, [s - 1], [s], [1]), [batch, c.dModel]); // [B, C]
  g.output(op.reshape(head(p, op.unsqueeze(last, [1])), [batch, c.vocab]), 'logits');
  return { graph: g, specs, feedback: {} };
}

/** Inputs shared by the full-sequence graphs: tokens, positions, bias, targets, mask. */
function sequenceInputs(g: Graph, batch: number, t: number) {
  return {
    tokens: g.input('tokens', 'int32', [batch, t]),
    positions: g.input('positions', 'int32', [batch, t]),
    bias: g.input('bias', 'float32', [batch, t, t]),
    targets: g.input('targets', 'int32', [batch, t]),
  };
}

/** Per-token log-probs `logp` and `entropy` [B, T] of `targets` (next tokens) under the params. */
export function gptLogProbGraph(c: GptConfig, batch: number, t: number): BuiltGraph {
  const g = new Graph(`gpt_logprob_b${batch}_t${t}`);
  const specs = gptParamSpecs(c);
  const p = paramInputs(g, specs);
  const { tokens, positions, bias, targets } = sequenceInputs(g, batch, t);
  const { logp, entropy } = tokenLogProbs(gptForward(p, tokens, positions, bias, c), targets);
  g.output(logp, 'logp');
  g.output(entropy, 'entropy');
  return { graph: g, specs, feedback: {} };
}

/**
 * The fused supervised step: masked next-token cross-entropy, backward, grad clipping, AdamW.
 * Extra inputs: `mask` [B, T] (1 where the target is trained), `lr`, `step` (1-based);
 * m.* / v.* moments. Outputs `loss`, `grad_norm` and `new.*` for params and moments.
 */
export function gptSftStepGraph(
  c: GptConfig,
  batch: number,
  t: number,
  opt: AdamWConfig = ADAMW_DEFAULTS,
): BuiltGraph {
  const g = new Graph(`gpt_sft_b${batch}_t${t}`);
  const specs = gptParamSpecs(c);
  const p = paramInputs(g, specs);
  const { tokens, positions, bias, targets } = sequenceInputs(g, batch, t);
  const mask = g.input('mask', 'float32', [batch, t]);
  const loss = maskedCrossEntropy(gptForward(p, tokens, positions, bias, c), targets, mask);
  return { graph: g, specs, feedback: appendAdamWStep(g, specs, p, loss, opt) };
}
