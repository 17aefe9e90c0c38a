// A run worker: a thin message loop that owns one Runtime, one GcrlTrainer and its RunController.
import { fetchCheckpoint, unpackCheckpoint } from '../src/checkpoint/checkpoint.js';
import { Runtime } from '../src/engine/runtime.js';
import { parameterCount } from '../src/model/policy.js';
import { RunController } from '../src/rl/run-controller.js';
import { GcrlTrainer } from '../src/rl/trainer.js';
import type { FromRunWorker, RunEvent, RunRequest } from './run-protocol.js';
import { serve } from './serve.js';
import { Exclusive, lockSteps, snapshot } from './snapshot.js';

let runtime: Runtime | null = null;
let run: { trainer: GcrlTrainer; controller: RunController; base: string; lock: Exclusive } | null = null;

const post = (msg: FromRunWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(msg, transfer);
const emit = (event: RunEvent) => post({ kind: 'event', event });

function needRun() {
  if (!run) throw new Error('no run: send {type: "create"} first');
  return run;
}

async function handle(req: RunRequest): Promise<unknown> {
  switch (req.type) {
    case 'init':
      runtime ??= await Runtime.create(req.backend, { wasmPaths: req.wasmPaths });
      return runtime.caps;
    case 'create': {
      if (!runtime) throw new Error('engine not initialised: send {type: "init"} first');
      if (run) throw new Error('this worker already holds a run');
      const ck = 'url' in req.base ? await fetchCheckpoint(req.base.url) : unpackCheckpoint(req.base.bundle);
      const trainer = await GcrlTrainer.create(runtime, req.config, ck);
      const lock = new Exclusive(); // steps and weight snapshots take turns
      lockSteps(trainer, lock);
      const controller = new RunController(trainer, {
        rows: (rows) => emit({ type: 'rows', rows }),
        samples: (samples) => emit({ type: 'samples', samples }),
        status: (status, step, error) => emit({ type: 'status', status, step, error }),
      });
      run = { trainer, controller, base: 'url' in req.base ? req.base.url : req.base.name, lock };
      if (req.config.eval.every > 0) controller.deferBaseline(); // row 0 follows step 1: training shows at once
      return { parameters: parameterCount(trainer.policy.config), task: req.config.task };
    }
    case 'start':
      void needRun().controller.start();
      return null;
    case 'pause':
      await needRun().controller.pause();
      return null;
    case 'step':
      await needRun().controller.stepOnce();
      return null;
    case 'stop':
      await needRun().controller.stop();
      return null;
    case 'checkpoint': {
      const { trainer, base, lock } = needRun();
      return snapshot(trainer, lock, req.label, base);
    }
  }
}

serve<RunRequest>((_id, req) => handle(req));
