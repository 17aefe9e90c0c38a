// Engine e2e: the same graphs give the same outputs and gradients on node-cpu, web-wasm and
// web-webgpu (headless Chromium, SwiftShader adapter in CI); the toy model trains in the browser.
import { expect, test } from '@playwright/test';
import { hostTensor } from '../../src/engine/dtype.js';
import { Runtime } from '../../src/engine/runtime.js';
import { initParams } from '../../src/nn/params.js';
import { trainToy } from '../../src/toy/train.js';
import { TOY_DEFAULTS, toyLossGradGraph } from '../../src/toy/transformer.js';
import { Rng } from '../../src/util/rng.js';
import { opZoo } from '../shared/op-zoo.js';
import { openEngine, runInPage, worstError } from './engine.js';

// float32 parity tolerance between backends: |x - ref| <= 1e-4 + 1e-3·|ref| (different kernels
// sum in different orders; float64 gradient checks against finite differences are unit tests).
const ATOL = 1e-4;
const RTOL = 1e-3;

let node: Runtime;
test.beforeAll(async () => {
  node = await Runtime.create('node-cpu');
});

function toyCase() {
  const cfg = { ...TOY_DEFAULTS, batch: 4 };
  const { graph, specs } = toyLossGradGraph(cfg);
  const rng = new Rng(11);
  const n = cfg.batch * cfg.seqLen;
  const feeds = {
    ...Object.fromEntries(initParams(specs, 3)),
    tokens: hostTensor(
      'int32',
      [cfg.batch, cfg.seqLen],
      Array.from({ length: n }, () => rng.int(cfg.vocab)),
    ),
    targets: hostTensor(
      'int32',
      [cfg.batch, cfg.seqLen],
      Array.from({ length: n }, () => rng.int(cfg.vocab)),
    ),
    mask: hostTensor(
      'float32',
      [cfg.batch, cfg.seqLen],
      Array.from({ length: n }, (_, i) => (i % 3 ? 1 : 0)),
    ),
  };
  return { graph, feeds };
}

for (const backend of ['web-wasm', 'web-webgpu'] as const) {
  test.describe(backend, () => {
    test('backend initialises without fallback', async ({ page }) => {
      const caps = await openEngine(page, backend);
      expect(caps.backend).toBe(backend);
      expect(caps.fallbackReason).toBeNull();
      await expect(page.getByTestId('backend-badge')).toContainText(backend);
    });

    for (const [name, make] of [
      ['op zoo', () => opZoo()],
      ['toy transformer', toyCase],
    ] as const) {
      test(`${name}: outputs and gradients match node-cpu`, async ({ page }) => {
        await openEngine(page, backend);
        const { graph, feeds } = make();
        const ref = await (await node.compile(graph.toOnnx())).runHost(feeds);
        const got = await runInPage(page, graph, feeds);
        for (const [out, t] of Object.entries(ref)) {
          const worst = worstError(got.outputs[out]?.data ?? [], t.data as Float32Array, ATOL, RTOL);
          expect(worst, `${backend} ${name} output ${out}`).toBeLessThanOrEqual(1);
        }
      });
    }
  });
}

test('web-wasm trains the toy model below its loss threshold', async ({ page }) => {
  await openEngine(page, 'web-wasm');
  const res = await page.evaluate(() => window.__gcrl.engine.trainToy({ steps: 200, seed: 1 }));
  const last10 = res.losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
  console.log(
    `web-wasm toy: first loss ${res.losses[0]?.toFixed(3)}, last-10 mean ${last10.toFixed(4)}, compile ${res.compileMs.toFixed(0)} ms`,
  );
  expect(res.losses[0]).toBeGreaterThan(2); // chance level is ln(10) ≈ 2.3
  expect(last10).toBeLessThan(0.1);
  // The same seed on node-cpu follows the same trajectory.
  const ref = await trainToy(node, { steps: 20, seed: 1 });
  expect(worstError(res.losses.slice(0, 20), ref.losses, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
});

test('web-webgpu training steps match web-wasm step for step', async ({ page }) => {
  const steps = 5;
  await openEngine(page, 'web-wasm');
  const wasm = await page.evaluate((n) => window.__gcrl.engine.trainToy({ steps: n, seed: 2 }), steps);
  await openEngine(page, 'web-webgpu');
  const gpu = await page.evaluate((n) => window.__gcrl.engine.trainToy({ steps: n, seed: 2 }), steps);
  console.log(
    `web-webgpu toy losses ${gpu.losses.map((l) => l.toFixed(4)).join(' ')}; wasm ${wasm.losses.map((l) => l.toFixed(4)).join(' ')}`,
  );
  expect(gpu.losses.at(-1)).toBeLessThan(gpu.losses[0] as number);
  // Weights and AdamW moments stayed in GPU buffers between steps; on WASM they are CPU tensors.
  expect(gpu.resident.onGpu).toBe(gpu.resident.tensors);
  expect(gpu.resident.tensors).toBe(17 * 3);
  expect(wasm.resident.onGpu).toBe(0);
  expect(worstError(gpu.losses, wasm.losses, 1e-4, 1e-3)).toBeLessThanOrEqual(1);
});
