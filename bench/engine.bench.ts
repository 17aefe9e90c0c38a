// Engine benchmark (`npm run bench`): per-op and whole-step times of the toy model on node-cpu and,
// through headless Chromium, on web-wasm (add --webgpu for web-webgpu; SwiftShader here: not a speed
// figure). Prints a markdown table; --json FILE also writes the numbers.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import type {} from '../app/testHook';
import { chromiumLaunchOptions } from '../playwright.config.js';
import { type HostTensor, hostTensor } from '../src/engine/dtype.js';
import type { Graph } from '../src/engine/graph.js';
import { Runtime } from '../src/engine/runtime.js';
import { initParams } from '../src/nn/params.js';
import { trainToy } from '../src/toy/train.js';
import { TOY_DEFAULTS, toyLossGradGraph } from '../src/toy/transformer.js';
import { Rng } from '../src/util/rng.js';

import { SINGLE_OPS, singleOpCase } from '../test/shared/single-ops.js';

const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const backends = ['node-cpu', 'web-wasm', ...(args.includes('--webgpu') ? ['web-webgpu'] : [])];
const ROWS = TOY_DEFAULTS.batch * TOY_DEFAULTS.seqLen; // 320 token positions
const COLS = TOY_DEFAULTS.dModel; // 32
const STEPS = 60;
const WARM = 10;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

type Result = {
  perOp: Record<string, number>;
  lossGradMs: number;
  stepMs: number;
  stepsPerS: number;
  compileMs: number;
};

function lossGradCase(): { graph: Graph; feeds: Record<string, HostTensor> } {
  const cfg = { ...TOY_DEFAULTS };
  const { graph, specs } = toyLossGradGraph(cfg);
  const rng = new Rng(1);
  const n = cfg.batch * cfg.seqLen;
  const ids = () =>
    hostTensor(
      'int32',
      [cfg.batch, cfg.seqLen],
      Array.from({ length: n }, () => rng.int(cfg.vocab)),
    );
  const feeds = {
    ...Object.fromEntries(initParams(specs, 1)),
    tokens: ids(),
    targets: ids(),
    mask: hostTensor('float32', [cfg.batch, cfg.seqLen], Array(n).fill(1)),
  };
  return { graph, feeds };
}

async function benchNode(): Promise<Result> {
  const rt = await Runtime.create('node-cpu');
  const time = async (graph: Graph, feeds: Record<string, HostTensor>, reps: number) => {
    const p = await rt.compile(graph.toOnnx());
    await p.runHost(feeds);
    const ms: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await p.runHost(feeds);
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };
  const perOp: Record<string, number> = {};
  for (const name of Object.keys(SINGLE_OPS)) {
    const c = singleOpCase(name, ROWS, COLS, ROWS);
    perOp[name] = await time(c.graph, c.feeds, 30);
  }
  const lg = lossGradCase();
  const lossGradMs = await time(lg.graph, lg.feeds, 20);
  const train = await trainToy(rt, { steps: STEPS, seed: 1 });
  const stepMs = median(train.stepMs.slice(WARM));
  return { perOp, lossGradMs, stepMs, stepsPerS: 1000 / stepMs, compileMs: train.compileMs };
}

async function startPreview(port: number): Promise<ChildProcess> {
  const proc = spawn(
    'npx',
    ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://localhost:${port}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return proc;
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error('vite preview did not start (run `npx vite build` first)');
}

async function benchWeb(backend: string, port: number): Promise<Result> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${port}/?backend=${backend}&autostart=0&testhook=1`);
    await page.evaluate(() => window.__gcrl.engine.ready());
    const run = async (graph: Graph, feeds: Record<string, HostTensor>, reps: number) => {
      const model = Buffer.from(graph.toOnnx()).toString('base64');
      const jf = Object.fromEntries(
        Object.entries(feeds).map(([k, t]) => [
          k,
          { dtype: t.dtype, shape: [...t.shape], data: Array.from(t.data, Number) },
        ]),
      );
      return page.evaluate(
        async ([m, f, n]) => {
          const e = window.__gcrl.engine;
          await e.run(m, f);
          const ms: number[] = [];
          for (let r = 0; r < n; r++) ms.push((await e.run(m, f)).ms);
          return ms.sort((a, b) => a - b)[Math.floor(n / 2)];
        },
        [model, jf, reps] as const,
      );
    };
    const perOp: Record<string, number> = {};
    for (const name of Object.keys(SINGLE_OPS)) {
      const c = singleOpCase(name, ROWS, COLS, ROWS);
      perOp[name] = await run(c.graph, c.feeds, 15);
    }
    const lg = lossGradCase();
    const lossGradMs = await run(lg.graph, lg.feeds, 10);
    const train = await page.evaluate((n) => window.__gcrl.engine.trainToy({ steps: n, seed: 1 }), STEPS);
    const stepMs = median(train.stepMs.slice(WARM));
    return { perOp, lossGradMs, stepMs, stepsPerS: 1000 / stepMs, compileMs: train.compileMs };
  } finally {
    await browser.close();
  }
}

const results: Record<string, Result> = {};
results['node-cpu'] = await benchNode();
if (backends.some((b) => b.startsWith('web-'))) {
  const port = 5199;
  const server = await startPreview(port);
  try {
    for (const b of backends.filter((x) => x.startsWith('web-'))) results[b] = await benchWeb(b, port);
  } finally {
    server.kill();
  }
}

const names = Object.keys(results);
const row = (label: string, f: (r: Result) => number, digits = 3) =>
  `| ${label} | ${names.map((n) => f(results[n] as Result).toFixed(digits)).join(' | ')} |`;
const lines = [
  `Toy model: 1 block, C=${COLS}, T=${TOY_DEFAULTS.seqLen}, batch ${TOY_DEFAULTS.batch}; per-op inputs [${ROWS}, ${COLS}]; medians in ms.`,
  '',
  `| measure | ${names.join(' | ')} |`,
  `|---|${names.map(() => '---:').join('|')}|`,
  row('train step (fwd+bwd+AdamW, fused)', (r) => r.stepMs, 2),
  row('train steps / s', (r) => r.stepsPerS, 1),
  row('loss+grad graph run', (r) => r.lossGradMs, 2),
  row('train-step session compile', (r) => r.compileMs, 0),
  ...Object.keys(SINGLE_OPS).map((op) => row(`op ${op}`, (r) => r.perOp[op] as number)),
];
console.log(lines.join('\n'));
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
