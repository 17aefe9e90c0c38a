// The page's handle on the engine worker: typed request/response over postMessage.
import type { BackendName, Capabilities } from '../src/engine/runtime.js';
import type { EngineRequest, EngineResults, FromWorker, ProgressEvent } from '../workers/protocol.js';
import { ortWasmPaths, WorkerRpc } from './workerRpc';

export class EngineClient {
  private readonly rpc: WorkerRpc;
  private readonly progress = new Map<number, (e: ProgressEvent) => void>();
  readonly ready: Promise<Capabilities>;

  constructor(backend: BackendName | 'auto') {
    const worker = new Worker(new URL('../workers/engine.worker.ts', import.meta.url), { type: 'module' });
    this.rpc = new WorkerRpc(worker, (msg) => {
      const m = msg as FromWorker;
      if (m.kind === 'progress') this.progress.get(m.id)?.(m.event);
    });
    this.ready = this.request({ type: 'init', backend, wasmPaths: ortWasmPaths() });
  }

  request<T extends EngineRequest>(
    req: T,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<EngineResults[T['type']]> {
    let id = 0;
    const done = this.rpc.call(req, [], (i) => {
      id = i;
      if (onProgress) this.progress.set(i, onProgress);
    });
    return done.finally(() => this.progress.delete(id)) as Promise<EngineResults[T['type']]>;
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
