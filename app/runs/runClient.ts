// The page's handle on one run worker: typed requests over postMessage, events to a callback.
import type { BackendName, Capabilities } from '../../src/engine/runtime.js';
import type { FromRunWorker, RunEvent, RunRequest, RunResults } from '../../workers/run-protocol.js';
import { ortWasmPaths, WorkerRpc } from '../workerRpc';

export class RunClient {
  private readonly rpc: WorkerRpc;
  readonly ready: Promise<Capabilities>;

  constructor(backend: BackendName | 'auto' | Promise<BackendName | 'auto'>, onEvent: (e: RunEvent) => void) {
    const worker = new Worker(new URL('../../workers/run.worker.ts', import.meta.url), { type: 'module' });
    this.rpc = new WorkerRpc(worker, (msg) => {
      const m = msg as FromRunWorker;
      if (m.kind === 'event') onEvent(m.event);
    });
    this.ready = Promise.resolve(backend).then((b) =>
      this.request({ type: 'init', backend: b, wasmPaths: ortWasmPaths() }),
    );
  }

  request<T extends RunRequest>(req: T): Promise<RunResults[T['type']]> {
    const transfer =
      req.type === 'create' && 'bundle' in req.base ? [req.base.bundle.buffer as ArrayBuffer] : [];
    return this.rpc.call(req, transfer) as Promise<RunResults[T['type']]>;
  }

  terminate(): void {
    this.rpc.terminate();
  }
}
