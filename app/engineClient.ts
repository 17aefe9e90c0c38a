// The page's handle on the engine worker: typed request/response over postMessage.
import type { BackendChoice } from '../src/engine/backend-choice.js';
import type { BackendName } from '../src/engine/runtime.js';
import type { EngineRequest, EngineResults, FromWorker, ProgressEvent } from '../workers/protocol.js';
import { ortWasmPaths, WorkerRpc } from './workerRpc';

export class EngineClient {
  private readonly rpc: WorkerRpc;
  private readonly progress = new Map<number, (e: ProgressEvent) => void>();
  readonly ready: Promise<EngineResults['init']>;
  /** The backend the page runs on and why; settles as soon as the worker has decided (before `ready`). */
  readonly choice: Promise<BackendChoice>;

  constructor(backend: BackendName | 'auto') {
    let decided: (c: BackendChoice) => void = () => undefined;
    this.choice = new Promise((resolve) => {
      decided = resolve;
    });
    const worker = new Worker(new URL('../workers/engine.worker.ts', import.meta.url), { type: 'module' });
    this.rpc = new WorkerRpc(worker, (msg) => {
      const m = msg as FromWorker;
      if (m.kind === 'progress') this.progress.get(m.id)?.(m.event);
      else if (m.kind === 'choice') decided(m.choice);
    });
    const calibrationUrl = new URL('models/weak', new URL(import.meta.env.BASE_URL, location.href)).href;
    this.ready = this.request({ type: 'init', backend, wasmPaths: ortWasmPaths(), calibrationUrl });
    // An engine that fails to start decides nothing: the choice fails with it.
    this.choice = Promise.race([this.choice, this.ready.then((caps) => caps.choice)]);
  }

  request<T extends EngineRequest>(
    req: T,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<EngineResults[T['type']]> {
    let id = 0;
    const send = () =>
      this.rpc
        .call(req, [], (i) => {
          id = i;
          if (onProgress) this.progress.set(i, onProgress);
        })
        .finally(() => this.progress.delete(id)) as Promise<EngineResults[T['type']]>;
    // Work waits for the runtime: the badge names the backend while it starts, and a click then must not race it.
    return req.type === 'init' ? send() : this.ready.then(send);
  }

  terminate(): void {
    this.rpc.terminate();
  }
}

/** The backend asked for in the URL (`?backend=web-wasm`), else 'auto'. */
export function requestedBackend(search = location.search): BackendName | 'auto' {
  const b = new URLSearchParams(search).get('backend');
  return b === 'web-wasm' || b === 'web-webgpu' ? b : 'auto';
}
