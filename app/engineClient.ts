// The page's handle on the engine worker: typed request/response over postMessage.
import type { BackendName, Capabilities } from '../src/engine/runtime.js';
import type { EngineRequest, EngineResults, FromWorker, ProgressEvent } from '../workers/protocol.js';

export class EngineClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (e: ProgressEvent) => void }
  >();
  readonly ready: Promise<Capabilities>;

  constructor(backend: BackendName | 'auto') {
    this.worker = new Worker(new URL('../workers/engine.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    const wasmPaths = new URL('ort/', new URL(import.meta.env.BASE_URL, location.href)).href;
    this.ready = this.request({ type: 'init', backend, wasmPaths });
  }

  request<T extends EngineRequest>(
    req: T,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<EngineResults[T['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ id, ...req });
    });
  }

  private receive(msg: FromWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.event);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.kind === 'result') p.resolve(msg.result);
    else p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** The backend asked for in the URL (`?backend=web-wasm`), else 'auto'. */
export function requestedBackend(search = location.search): BackendName | 'auto' {
  const b = new URLSearchParams(search).get('backend');
  return b === 'web-wasm' || b === 'web-webgpu' ? b : 'auto';
}
