// Browser benchmark of the full GC-RL step (`npm run bench:web`, also part of `npm run bench`):
// headless Chromium through the real page and run worker (production build under `vite preview`),
// default preset, per backend: steps/s, ms per phase, run creation, first chart line and first step
// after load, main-thread long tasks and the Pause click's latency, beside node-cpu's figures from
// the same run. Flags: --steps N (30) --warmup N (5) --backends web-wasm,web-webgpu --budget-s S
// (300, per backend; a slower backend reports what finished) --json FILE --out-dir DIR (dist)
// --viewport WxH (1280x3200: every chart on screen) --no-node --profile DIR (main-thread .cpuprofile)
// --trace DIR (a Chrome trace per visit, and the CPU V8 spent compiling: bench/trace-summary.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { measureNodeStep, type NodeStepResult, PHASES } from './train-step.js';
import { type VisitResult, visit } from './web-page.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) =>
  args.includes(name) ? String(args[args.indexOf(name) + 1]) : dflt;
const steps = Number(flag('--steps', '30'));
const warmup = Number(flag('--warmup', '5'));
const backends = flag('--backends', 'web-wasm,web-webgpu').split(',');
const budgetS = Number(flag('--budget-s', '300'));
const outDir = flag('--out-dir', 'dist');
const [vw, vh] = flag('--viewport', '1280x3200').split('x').map(Number);
const profileDir = args.includes('--profile') ? flag('--profile', 'bench/results') : undefined;
const traceDir = args.includes('--trace') ? flag('--trace', 'bench/results') : undefined;
const date = new Date().toISOString().slice(0, 16).replace(/:/g, '');
// Under `npm run bench` --json is the engine benchmark's file: there this one takes --web-json.
const direct = /web\.bench\.[tj]s$/.test(process.argv[1] ?? '');
const jsonOut = flag(
  direct ? '--json' : '--web-json',
  join('bench', 'results', `web-${hostname()}-${date}.json`),
);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** `vite preview` of the production build on a free port (localhost: a secure context for WebGPU). */
async function startPreview(): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  // vite's own bin (not npx, whose child would outlive kill()).
  const proc = spawn(
    join('node_modules', '.bin', 'vite'),
    ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', outDir],
    { stdio: 'ignore' },
  );
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`${url}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { proc, url };
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error(`vite preview did not start (build first: npx vite build --outDir ${outDir})`);
}

const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const f = (v: number | null | undefined, d = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d);

let node: NodeStepResult | null = null;
if (!args.includes('--no-node')) {
  log(`node-cpu: ${warmup} + ${steps} steps`);
  node = await measureNodeStep(steps, warmup);
}
const web: Record<string, VisitResult> = {};
const server = await startPreview();
try {
  for (const backend of backends) {
    log(`${backend}: first visit to ${server.url}`);
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    if (traceDir) mkdirSync(traceDir, { recursive: true });
    web[backend] = await visit({
      baseUrl: server.url,
      backend,
      steps,
      warmup,
      budgetS,
      viewport: { width: vw ?? 1280, height: vh ?? 3200 },
      profile: profileDir ? join(profileDir, `main-${backend}-${date}.cpuprofile`) : undefined,
      trace: traceDir ? join(traceDir, `trace-${backend}-${date}.json`) : undefined,
      log,
    });
  }
} finally {
  server.proc.kill();
}

const names = [...(node ? ['node-cpu'] : []), ...backends];
const cell = (b: string, fn: (w: VisitResult) => string, nodeCell = '—') =>
  b === 'node-cpu' ? nodeCell : fn(web[b] as VisitResult);
const row = (label: string, fn: (w: VisitResult) => string, nodeCell = '—') =>
  `| ${label} | ${names.map((b) => cell(b, fn, nodeCell)).join(' | ')} |`;
const lines = [
  `GC-RL step, default preset, ${warmup} warm-up + ${steps} timed steps; ${cpus().length} cores on ${hostname()}, ${new Date().toISOString()}`,
  '',
  `| measure | ${names.join(' | ')} |`,
  `|---|${names.map(() => '---:').join('|')}|`,
  row(
    'backend used',
    (w) => `${w.used ?? '—'}${w.partial ? ` (partial: ${w.timedSteps} steps)` : ''}`,
    'node-cpu',
  ),
  row('steps/s', (w) => f(w.stepsPerS, 2), f(node?.stepsPerS, 2)),
  row('web / node', (w) => (node ? f(w.stepsPerS / node.stepsPerS, 2) : '—'), '1'),
  row('steps/s, wall (with held-out evals)', (w) => f(w.wallStepsPerS, 2)),
  ...['step', ...PHASES].map((k) => row(`${k} ms`, (w) => f(w.phaseMs[k], 1), f(node?.phaseMs[k], 1))),
  row('run creation ms (worker, sessions, baseline eval)', (w) => f(w.creationMs)),
  row('step 1 ms (compiles sessions)', (w) => f(w.firstStepMs)),
  row('load → first chart line ms', (w) => f(w.firstLineMs)),
  row('load → first step shown ms', (w) => f(w.firstStepShownMs)),
  row('long tasks while training: total ms', (w) => f(w.longTasks.totalMs)),
  row('  share of wall time %', (w) => f(100 * w.longTasks.fraction, 1)),
  row('  longest ms / count', (w) => `${f(w.longTasks.maxMs)} / ${w.longTasks.count}`),
  row(
    'long tasks whole visit: total / longest ms',
    (w) => `${f(w.longTasksVisit.totalMs)} / ${f(w.longTasksVisit.maxMs)}`,
  ),
  row('Pause click → pausing ms', (w) => f(w.pauseLatencyMs)),
  row('renderer page faults per step (Linux)', (w) => f(w.faultsPerStep)),
  ...(traceDir
    ? [
        row('V8 compile CPU ms: wasm top tier / lazy / JS', (w) =>
          w.compileCpuMs
            ? `${f(w.compileCpuMs.wasmTopTier)} / ${f(w.compileCpuMs.wasmLazy)} / ${f(w.compileCpuMs.jsOptimise)}`
            : '—',
        ),
      ]
    : []),
];
console.log(lines.join('\n'));
mkdirSync(join(jsonOut, '..'), { recursive: true });
writeFileSync(
  jsonOut,
  `${JSON.stringify(
    { host: hostname(), cores: cpus().length, date: new Date().toISOString(), steps, warmup, node, web },
    null,
    2,
  )}\n`, // a text file ends with a newline (biome checks bench/results)
);
log(`wrote ${jsonOut}`);
