// Where ORT's native WebGPU EP runs our ops: every node of the hot fused train-step graph on the
// GPU, and a per-op census (one single-op graph each) naming the ops that fall back to the CPU.
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { type HostTensor, hostTensor } from '../../src/engine/dtype.js';
import { VOCAB } from '../../src/lm/tokenizer.js';
import { causalBias, leftPad } from '../../src/model/batch.js';
import {
  cacheNames,
  GPT_DEFAULTS,
  type GptConfig,
  gptDecodeStepGraph,
  gptLogProbGraph,
} from '../../src/model/gpt.js';
import { initParams } from '../../src/nn/params.js';
import { TOY_DEFAULTS, toyTrainStepGraph } from '../../src/toy/transformer.js';
import { SINGLE_OPS, singleOpCase } from '../shared/single-ops.js';
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

test('web-webgpu per-op placement census', async ({ page }) => {
  await openEngine(page, 'web-webgpu');
  const census: Record<string, Record<string, number>> = {};
  for (const name of Object.keys(SINGLE_OPS)) {
    const { graph, feeds } = singleOpCase(name);
    census[name] = (await runInPage(page, graph, feeds, true)).placement;
  }
  const onCpu = Object.entries(census).filter(([, p]) => p.CPUExecutionProvider);
  console.log(
    `ops with nodes on the CPU: ${onCpu.map(([k, p]) => `${k} (${p.CPUExecutionProvider})`).join(', ')}`,
  );
  writeFileSync('test-results/webgpu-placement.json', JSON.stringify(census, null, 2));
  // ORT-NOTES: of these, only the native LogSoftmax runs on the CPU (the engine uses x - logsumexp).
  expect(onCpu.map(([k]) => k)).toEqual(['LogSoftmax']);
});

// The no-gradient graphs of the policy, after ORT's own fusions (FastGelu, SkipLayerNormalization,
// FusedMatMul on CPU/WASM): where do they run on the WebGPU EP?
test("web-webgpu runs the policy's log-prob and decode graphs on the GPU", async ({ page }) => {
  await openEngine(page, 'web-webgpu');
  const c: GptConfig = { ...GPT_DEFAULTS, vocab: VOCAB.size, ctx: 16 };
  const [b, t] = [2, 8];
  const params = Object.fromEntries(initParams(gptLogProbGraph(c, b, t).specs, 3));
  const seqs = [
    [1, 2, 3, 4, 5, 6, 7, 8],
    [4, 5, 6, 7],
  ];
  const p = leftPad(seqs, t);
  const lp = gptLogProbGraph(c, b, t);
  const lpFeeds = {
    ...params,
    tokens: hostTensor('int32', [b, t], p.tokens),
    positions: hostTensor('int32', [b, t], p.positions),
    bias: hostTensor('float32', [b, t, t], causalBias(p)),
    targets: hostTensor('int32', [b, t], p.tokens),
  };
  const logprob = (await runInPage(page, lp.graph, lpFeeds, true)).placement;
  const [s, l] = [1, 16];
  const dec = gptDecodeStepGraph(c, b, s, l);
  const hd = c.dModel / c.nHead;
  const decFeeds: Record<string, HostTensor> = {
    ...params,
    tokens: hostTensor('int32', [b, s], [3, 4]),
    positions: hostTensor('int32', [b, s], [0, 0]),
    bias: hostTensor(
      'float32',
      [b, s, l],
      Array.from({ length: b * s * l }, (_, i) => (i % l === 0 ? 0 : -1e9)),
    ),
    write: hostTensor(
      'float32',
      [s, l],
      Array.from({ length: s * l }, (_, i) => (i === 0 ? 1 : 0)),
    ),
  };
  for (let i = 0; i < c.nLayer; i++) {
    decFeeds[cacheNames(i).k] = hostTensor('float32', [b, c.nHead, l, hd]);
    decFeeds[cacheNames(i).v] = hostTensor('float32', [b, c.nHead, l, hd]);
  }
  const decode = (await runInPage(page, dec.graph, decFeeds, true)).placement;
  console.log(`log-prob graph placement ${JSON.stringify(logprob)}; decode graph ${JSON.stringify(decode)}`);
  expect(Object.keys(logprob)).toEqual(['WebGpuExecutionProvider']);
  expect(Object.keys(decode)).toEqual(['WebGpuExecutionProvider']);
});
