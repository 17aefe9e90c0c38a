// The engine worker: a thin message loop that owns one Runtime and runs src/ code on it.
import { Runtime } from '../src/engine/runtime.js';
import { trainToy } from '../src/toy/train.js';
import type { EngineRequest, FromWorker, RunResult, ToWorker } from './protocol.js';

let runtime: Runtime | null = null;

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
    case 'trainToy':
      return trainToy(needRuntime(), {
        ...req.opts,
        onStep: (event) => post({ id, kind: 'progress', event }),
      });
  }
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const { id, ...req } = e.data;
  try {
    post({ id, kind: 'result', result: await handle(id, req as EngineRequest) });
  } catch (err) {
    const error =
      err instanceof Error
        ? { name: err.name, message: err.message }
        : { name: 'Error', message: String(err) };
    post({ id, kind: 'error', error });
  }
};
