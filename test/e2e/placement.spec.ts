// Where ORT's native WebGPU EP runs our ops: every node of the hot fused train-step graph on the
// GPU, and a per-op census (one single-op graph each) naming the ops that fall back to the CPU.
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { type HostTensor, hostTensor } from '../../src/engine/dtype.js';
import { Graph, type Value } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops.js';
import { initParams } from '../../src/nn/params.js';
import { TOY_DEFAULTS, toyTrainStepGraph } from '../../src/toy/transformer.js';
import { openEngine, runInPage } from './engine.js';

function trainStepCase() {
  const cfg = { ...TOY_DEFAULTS, batch: 2 };
  const { graph, specs } = toyTrainStepGraph(cfg);
  const feeds: Record<string, HostTensor> = {};
  for (const [k, t] of initParams(specs, 1)) {
    feeds[k] = t;
    feeds[`m.${k}`] = hostTensor('float32', t.shape);
    feeds[`v.${k}`] = hostTensor('float32', t.shape);
  }
  const shape = [cfg.batch, cfg.seqLen];
  const n = cfg.batch * cfg.seqLen;
  feeds.tokens = hostTensor(
    'int32',
    shape,
    Array.from({ length: n }, (_, i) => i % 13),
  );
  feeds.targets = hostTensor(
    'int32',
    shape,
    Array.from({ length: n }, (_, i) => (i + 1) % 13),
  );
  feeds.mask = hostTensor('float32', shape, Array(n).fill(1));
  feeds.lr = hostTensor('float32', [], [1e-3]);
  feeds.step = hostTensor('float32', [], [1]);
  return { graph, feeds };
}

test('web-webgpu runs every node of the fused train-step graph on the GPU', async ({ page }) => {
  await openEngine(page, 'web-webgpu');
  const { graph, feeds } = trainStepCase();
  const { placement } = await runInPage(page, graph, feeds, true);
  console.log(`train step: ${graph.nodes.length} nodes built, ORT placement ${JSON.stringify(placement)}`);
  expect(Object.keys(placement)).toEqual(['WebGpuExecutionProvider']);
});

// One graph per op: x [2, 3] float, i [4] int32 -> the op's output.
const SINGLE_OPS: Record<string, (x: Value, i: Value) => Value> = {
  Add: (x) => op.add(x, x),
  Sub: (x) => op.sub(x, x),
  Mul: (x) => op.mul(x, x),
  Div: (x) => op.div(x, op.add(x, 3)),
  Pow: (x) => op.pow(op.add(x, 3), x),
  Min: (x) => op.min(x, op.neg(x)),
  Max: (x) => op.max(x, op.neg(x)),
  Neg: (x) => op.neg(x),
  Exp: (x) => op.exp(x),
  Log: (x) => op.log(op.add(x, 3)),
  Sqrt: (x) => op.sqrt(op.add(x, 3)),
  Tanh: (x) => op.tanh(x),
  Sigmoid: (x) => op.sigmoid(x),
  Erf: (x) => op.erf(x),
  Relu: (x) => op.relu(x),
  Abs: (x) => op.abs(x),
  Reciprocal: (x) => op.reciprocal(op.add(x, 3)),
  'Cast(int32)': (x) => op.cast(op.cast(x, 'int32'), 'float32'),
  Where: (x) => op.where(op.greater(x, 0), x, 0),
  'Equal/Less/Not/And': (x) => op.cast(op.and(op.not(op.less(x, 0)), op.equal(x, x)), 'float32'),
  Clip: (x) => op.clip(x, -0.5, 0.5),
  MatMul: (x) => op.matmul(op.unsqueeze(x, [0]), op.transposeLast(op.unsqueeze(x, [0]))),
  Gather: (x, i) => op.gather(op.transposeLast(x), op.clip(i, 0, 2)),
  Softmax: (x) => op.softmax(x, -1),
  LogSoftmax: (x) => op.logSoftmax(x, -1),
  ReduceLogSumExp: (x) => op.reduce('ReduceLogSumExp', x, [1], true),
  LayerNormalization: (x) =>
    op.layerNorm(x, x.graph.constant('float32', [3], [1, 2, 3]), x.graph.constant('float32', [3], [0, 0, 1])),
  ReduceSum: (x) => op.sum(x, [0]),
  ReduceMean: (x) => op.mean(x, [1], true),
  ReduceMax: (x) => op.reduceMax(x, [1]),
  Reshape: (x) => op.exp(op.reshape(x, [3, 2])),
  Transpose: (x) => op.transpose(x, [1, 0]),
  Slice: (x) => op.slice(x, [1], [3], [1]),
  Concat: (x) => op.concat([x, op.exp(x)], 0),
  'Unsqueeze/Squeeze': (x) => op.exp(op.squeeze(op.unsqueeze(op.exp(x), [1]), [1])),
  Expand: (x) => op.expand(op.exp(x), [4, 2, 3]),
};

test('web-webgpu per-op placement census', async ({ page }) => {
  await openEngine(page, 'web-webgpu');
  const feeds = {
    x: hostTensor('float32', [2, 3], [-1, -0.5, 0, 0.5, 1, 2]),
    i: hostTensor('int32', [4], [0, 2, 1, 2]),
  };
  const census: Record<string, Record<string, number>> = {};
  for (const [name, build] of Object.entries(SINGLE_OPS)) {
    const g = new Graph(name);
    const x = g.input('x', 'float32', [2, 3]);
    const i = g.input('i', 'int32', [4]);
    g.output(op.identity(build(x, i)), 'y');
    census[name] = (await runInPage(page, g, feeds, true)).placement;
  }
  const onCpu = Object.entries(census).filter(([, p]) => p.CPUExecutionProvider);
  console.log(
    `ops with nodes on the CPU: ${onCpu.map(([k, p]) => `${k} (${p.CPUExecutionProvider})`).join(', ')}`,
  );
  writeFileSync('test-results/webgpu-placement.json', JSON.stringify(census, null, 2));
  // ORT-NOTES: of these, only the native LogSoftmax runs on the CPU (the engine uses x - logsumexp).
  expect(onCpu.map(([k]) => k)).toEqual(['LogSoftmax']);
});
