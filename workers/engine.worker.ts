// The engine worker: a thin message loop that owns one Runtime and runs src/ code on it. It decides
// the backend at once but opens a WASM runtime only when a request needs it: on a first visit the
// run worker starts its own at the same time, and two WASM runtimes starting together on a small
// machine took twice as long (measured: 5.2 s each vs 2.6 s alone on 2 cores).
import { fetchCheckpoint } from '../src/checkpoint/checkpoint.js';
import { runColdStart, type TaskConfig } from '../src/coldstart/run.js';
import { type AdapterFacts, type BackendChoice, chooseBackend, wasm } from '../src/engine/backend-choice.js';
import { Runtime } from '../src/engine/runtime.js';
import { showcase } from '../src/eval/showcase.js';
import { makeSplits } from '../src/lm/tasks.js';
import { calibrateStep } from '../src/model/calibrate.js';
import { checkpointTask, policyFromCheckpoint } from '../src/model/io.js';
import { type Policy, parameterCount } from '../src/model/policy.js';
import { trainToy } from '../src/toy/train.js';
import type { EngineRequest, FromWorker, ModelInfo, RunResult } from './protocol.js';
import { serve } from './serve.js';

let runtime: Promise<Runtime> | null = null;
let runtimeOpts: { wasmPaths?: string } = {};
let model: { policy: Policy; task: TaskConfig; info: ModelInfo } | null = null;

function setModel(
  policy: Policy,
  task: TaskConfig,
  info: Omit<ModelInfo, 'config' | 'parameters' | 'task'>,
): ModelInfo {
  model?.policy.dispose();
  const full = { ...info, config: policy.config, parameters: parameterCount(policy.config), task };
  model = { policy, task, info: full };
  return full;
}

const post = (msg: FromWorker) => (self as unknown as Worker).postMessage(msg);

/** The engine's runtime, opened at the first request that needs one. */
function needRuntime(): Promise<Runtime> {
  if (!chosen) throw new Error('engine not initialised: send {type: "init"} first');
  if (!runtime) {
    runtime = Runtime.create(chosen.backend, runtimeOpts);
    runtime.catch(() => {
      runtime = null; // the next request tries again (and reports its own failure)
    });
  }
  return runtime;
}

/** What this browser says about its WebGPU adapter, or why there is none. */
async function adapterFacts(): Promise<AdapterFacts | { error: string }> {
  type Gpu = { requestAdapter(): Promise<{ info?: AdapterFacts; isFallbackAdapter?: boolean } | null> };
  const gpu = (navigator as unknown as { gpu?: Gpu }).gpu;
  if (!gpu) return { error: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const a = await gpu.requestAdapter();
    if (!a) return { error: 'no WebGPU adapter is available' };
    const i = a.info ?? {};
    return {
      vendor: i.vendor,
      architecture: i.architecture,
      device: i.device,
      description: i.description,
      isFallbackAdapter: i.isFallbackAdapter ?? a.isFallbackAdapter,
    };
  } catch (e) {
    return { error: `requestAdapter failed: ${String(e)}` };
  }
}

/**
 * Decides the backend `auto` should use (or keeps the forced one): a software adapter loses to
 * WASM at once; a hardware one is timed against WASM on a short piece of this model's step (the
 * runtime that calibration opened comes back with the choice; otherwise none is opened here).
 */
async function openChosen(
  req: Extract<EngineRequest, { type: 'init' }>,
  announce: (c: BackendChoice) => void,
): Promise<{ rt: Runtime | null; choice: BackendChoice }> {
  const opts = { wasmPaths: req.wasmPaths };
  const adapter = req.backend === 'auto' ? await adapterFacts() : {};
  let choice = chooseBackend(req.backend, adapter);
  if (choice.calibrate && req.calibrationUrl) {
    const opened: Runtime[] = [];
    try {
      const ck = await fetchCheckpoint(req.calibrationUrl);
      const gpu = await Runtime.create('web-webgpu', { ...opts, fallback: false });
      opened.push(gpu);
      const webgpuMs = await calibrateStep(gpu, ck);
      const wasm = await Runtime.create('web-wasm', opts);
      opened.push(wasm);
      const wasmMs = await calibrateStep(wasm, ck);
      choice = chooseBackend('auto', adapter, { webgpuMs, wasmMs });
      announce(choice);
      const kept = choice.backend === 'web-webgpu' ? gpu : wasm;
      void (kept === gpu ? wasm : gpu).dispose(); // the loser's sessions (GPU buffers, WASM heap) go
      return { rt: kept, choice };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      choice = wasm(`WebGPU failed its calibration (${why})`);
      for (const rt of opened) void rt.dispose().catch(() => undefined);
    }
  }
  announce(choice);
  return { rt: null, choice }; // opened when first needed (needRuntime)
}

let chosen: BackendChoice | null = null;

async function handle(id: number, req: EngineRequest): Promise<unknown> {
  switch (req.type) {
    case 'init': {
      if (!chosen) {
        runtimeOpts = { wasmPaths: req.wasmPaths };
        const opened = await openChosen(req, (choice) => post({ id, kind: 'choice', choice }));
        chosen = opened.choice;
        if (opened.rt) runtime = Promise.resolve(opened.rt);
        else if (chosen.backend !== 'web-wasm') await needRuntime(); // WebGPU proves itself (or falls back) now
      }
      const c = chosen as BackendChoice;
      const caps = runtime
        ? (await runtime).caps
        : Runtime.plannedCaps(c.backend, req.backend, null, runtimeOpts);
      // `auto` on WASM reads as a fallback from WebGPU, with why.
      return {
        ...caps,
        requested: req.backend,
        fallbackReason: caps.fallbackReason ?? c.fallback ?? null,
        choice: c,
      };
    }
    case 'run': {
      const rt = await needRuntime();
      const program = await rt.compile(req.model, { logPlacement: req.logPlacement });
      const t0 = performance.now();
      const outputs = await program.runHost(req.feeds);
      return {
        outputs,
        placement: program.placement,
        ms: performance.now() - t0,
      } satisfies RunResult;
    }
    case 'loadCheckpoint': {
      const ck = await fetchCheckpoint(req.url);
      const p = ck.provenance;
      return setModel(policyFromCheckpoint(await needRuntime(), ck), checkpointTask(ck), {
        source: req.url,
        provenance: { seed: p.seed, steps: p.steps, createdAt: p.createdAt, command: p.command },
        metrics: ck.metrics ?? {},
      });
    }
    case 'coldstart': {
      const policy = await runColdStart(await needRuntime(), req.options, (event) =>
        post({ id, kind: 'progress', event }),
      );
      return setModel(policy, req.options.task, {
        source: 'coldstart',
        provenance: { seed: req.options.seed, steps: req.options.steps, createdAt: new Date().toISOString() },
        metrics: {},
      });
    }
    case 'showcase': {
      if (!model) throw new Error('no model loaded: load a checkpoint or run a cold start first');
      const { heldOut } = makeSplits({ ...model.task, seed: model.task.splitSeed });
      const start = (req.seed * 7) % Math.max(1, heldOut.length - req.count);
      return showcase(model.policy, heldOut.slice(start, start + req.count), req);
    }
    case 'trainToy':
      return trainToy(await needRuntime(), {
        ...req.opts,
        onStep: (event) => post({ id, kind: 'progress', event }),
      });
  }
}

serve<EngineRequest>(handle);
