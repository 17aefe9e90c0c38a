// The page's handle on one run worker: typed requests over postMessage, events to a callback.
import type { BackendName, Capabilities } from '../../src/engine/runtime.js';
import type { FromRunWorker, RunEvent, RunRequest, RunResults } from '../../workers/run-protocol.js';

export class RunClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<Capabilities>;

  constructor(backend: BackendName | 'auto', onEvent: (e: RunEvent) => void) {
    this.worker = new Worker(new URL('../../workers/run.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromRunWorker>) => {
      const msg = e.data;
      if (msg.kind === 'event') return onEvent(msg.event);
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.kind === 'result') p.resolve(msg.result);
      else p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
    };
    this.worker.onerror = (e) => {
      const err = new Error(`run worker failed: ${e.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    const wasmPaths = new URL('ort/', new URL(import.meta.env.BASE_URL, location.href)).href;
    this.ready = this.request({ type: 'init', backend, wasmPaths });
  }

  request<T extends RunRequest>(req: T): Promise<RunResults[T['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const transfer = req.type === 'create' && 'bundle' in req.base ? [req.base.bundle.buffer] : [];
      this.worker.postMessage({ id, ...req }, transfer as Transferable[]);
    });
  }

  terminate(): void {
    this.worker.terminate();
    const err = new Error('run worker terminated');
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
