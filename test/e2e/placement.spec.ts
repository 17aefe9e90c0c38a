// Where ORT's native WebGPU EP runs our ops: every node of the hot fused train-step graph on the
// GPU, and a per-op census (one single-op graph each) naming the ops that fall back to the CPU.
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { type HostTensor, hostTensor } from '../../src/engine/dtype.js';
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
