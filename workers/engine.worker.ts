// The engine worker: a thin message loop that owns one Runtime and runs src/ code on it.
import { fetchCheckpoint } from '../src/checkpoint/checkpoint.js';
import { runColdStart, type TaskConfig } from '../src/coldstart/run.js';
import { Runtime } from '../src/engine/runtime.js';
import { showcase } from '../src/eval/showcase.js';
import { makeSplits } from '../src/lm/tasks.js';
import { checkpointTask, policyFromCheckpoint } from '../src/model/io.js';
import { type Policy, parameterCount } from '../src/model/policy.js';
import { trainToy } from '../src/toy/train.js';
import type { EngineRequest, FromWorker, ModelInfo, RunResult } from './protocol.js';
import { serve } from './serve.js';

let runtime: Runtime | null = null;
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

function needRuntime(): Runtime {
  if (!runtime) throw new Error('engine not initialised: send {type: "init"} first');
  return runtime;
}

async function handle(id: number, req: EngineRequest): Promise<unknown> {
  switch (req.type) {
    case 'init':
      runtime ??= await Runtime.create(req.backend, { wasmPaths: req.wasmPaths });
      return runtime.caps;
    case 'run': {
      const rt = needRuntime();
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
      return setModel(policyFromCheckpoint(needRuntime(), ck), checkpointTask(ck), {
        source: req.url,
        provenance: { seed: p.seed, steps: p.steps, createdAt: p.createdAt, command: p.command },
        metrics: ck.metrics ?? {},
      });
    }
    case 'coldstart': {
      const policy = await runColdStart(needRuntime(), req.options, (event) =>
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
      return trainToy(needRuntime(), {
        ...req.opts,
        onStep: (event) => post({ id, kind: 'progress', event }),
      });
  }
}

serve<EngineRequest>(handle);
