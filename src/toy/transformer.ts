// A one-block causal transformer (embeddings, attention, MLP, LM head) for the engine's proof
// task, and its fused train-step graph: forward, backward and AdamW in one ONNX model.
import { gradients } from '../engine/autodiff.js';
import type { DType } from '../engine/dtype.js';
import { Graph, type Value } from '../engine/graph.js';
import * as op from '../engine/ops.js';
import { ADAMW_DEFAULTS, type AdamWConfig } from '../engine/optim.js';
import { causalMask, gelu, linear, maskedCrossEntropy, selfAttention } from '../nn/layers.js';
import { normalParam, onesParam, type ParamSpec, paramInputs, zerosParam } from '../nn/params.js';
import { appendAdamWStep } from '../nn/train-step.js';

export interface ToyConfig {
  vocab: number; // vocabulary size (13 for the reversal task)
  seqLen: number; // T, tokens per example
  dModel: number; // C, residual width (default 32)
  nHead: number; // attention heads (default 2)
  dMlp: number; // MLP hidden width (default 4·C)
  batch: number; // B, examples per step (default 32)
  dtype: DType; // float32 for training, float64 for gradient checks
}

export const TOY_DEFAULTS: Readonly<ToyConfig> = Object.freeze({
  vocab: 13,
  seqLen: 10,
  dModel: 32,
  nHead: 2,
  dMlp: 128,
  batch: 32,
  dtype: 'float32',
});

export function toyParamSpecs(cfg: ToyConfig): ParamSpec[] {
  const { vocab: v, seqLen: t, dModel: c, dMlp: h } = cfg;
  const [w, zeros, ones] = [normalParam, zerosParam, onesParam];
  return [
    w('wte', [v, c]),
    w('wpe', [t, c]),
    ones('ln1.g', c),
    zeros('ln1.b', c),
    w('attn.wqkv', [c, 3 * c]),
    zeros('attn.bqkv', 3 * c),
    w('attn.wo', [c, c]),
    zeros('attn.bo', c),
    ones('ln2.g', c),
    zeros('ln2.b', c),
    w('mlp.w1', [c, h]),
    zeros('mlp.b1', h),
    w('mlp.w2', [h, c]),
    zeros('mlp.b2', c),
    ones('lnf.g', c),
    zeros('lnf.b', c),
    w('head.w', [c, v]),
  ];
}

/** Logits [B, T, V] for int tokens [B, T]. */
export function toyForward(p: Record<string, Value>, tokens: Value, cfg: ToyConfig): Value {
  const param = (n: string) => p[n] as Value;
  const t = cfg.seqLen;
  const positions = tokens.graph.constant('int32', [t], [...Array(t).keys()], 'positions');
  let x = op.add(op.gather(param('wte'), tokens), op.gather(param('wpe'), positions)); // [B, T, C]
  const mask = causalMask(x, t);
  const attn = {
    wqkv: param('attn.wqkv'),
    bqkv: param('attn.bqkv'),
    wo: param('attn.wo'),
    bo: param('attn.bo'),
  };
  x = op.add(x, selfAttention(op.layerNorm(x, param('ln1.g'), param('ln1.b')), attn, cfg.nHead, mask));
  const h = gelu(linear(op.layerNorm(x, param('ln2.g'), param('ln2.b')), param('mlp.w1'), param('mlp.b1'))); // [B, T, H]
  x = op.add(x, linear(h, param('mlp.w2'), param('mlp.b2')));
  return linear(op.layerNorm(x, param('lnf.g'), param('lnf.b')), param('head.w')); // [B, T, V]
}

export interface ToyGraphs {
  graph: Graph;
  specs: ParamSpec[];
  /** Output name -> input name for the state carried between steps. */
  feedback: Record<string, string>;
}

const batchInputs = (g: Graph, cfg: ToyConfig) => ({
  tokens: g.input('tokens', 'int32', [cfg.batch, cfg.seqLen]),
  targets: g.input('targets', 'int32', [cfg.batch, cfg.seqLen]),
  mask: g.input('mask', cfg.dtype, [cfg.batch, cfg.seqLen]),
});

/** Loss and its gradient w.r.t. every parameter (outputs `loss`, `grad.<name>`). */
export function toyLossGradGraph(cfg: ToyConfig): ToyGraphs {
  const g = new Graph('toy_loss_grad');
  const specs = toyParamSpecs(cfg);
  const p = paramInputs(g, specs, cfg.dtype);
  const { tokens, targets, mask } = batchInputs(g, cfg);
  const loss = maskedCrossEntropy(toyForward(p, tokens, cfg), targets, mask);
  g.output(loss, 'loss');
  const grads = gradients(
    loss,
    specs.map((s) => p[s.name] as Value),
  );
  specs.forEach((s, i) => {
    g.output(grads[i] as Value, `grad.${s.name}`);
  });
  return { graph: g, specs, feedback: {} };
}

/** One fused training step: forward, backward, grad clipping and AdamW. */
export function toyTrainStepGraph(cfg: ToyConfig, opt: AdamWConfig = ADAMW_DEFAULTS): ToyGraphs {
  const g = new Graph('toy_train_step');
  const specs = toyParamSpecs(cfg);
  const p = paramInputs(g, specs, cfg.dtype);
  const { tokens, targets, mask } = batchInputs(g, cfg);
  const loss = maskedCrossEntropy(toyForward(p, tokens, cfg), targets, mask);
  return { graph: g, specs, feedback: appendAdamWStep(g, specs, p, loss, opt) };
}
