// Request/reply over postMessage, shared by the page's worker clients: each request gets an id,
// its `result` or `error` reply settles it, and every other message goes to the client's handler.

/** Where the workers load onnxruntime-web's .wasm/.mjs files from (served from public/ort/). */
export const ortWasmPaths = (): string =>
  new URL('ort/', new URL(import.meta.env.BASE_URL, location.href)).href;

type Reply =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; error: { name: string; message: string } };

export class WorkerRpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly worker: Worker,
    onOther: (msg: { id?: number; kind: string }) => void,
  ) {
    worker.onmessage = (e: MessageEvent<{ id?: number; kind: string }>) => {
      const msg = e.data;
      if (msg.kind === 'result' || msg.kind === 'error') this.settle(msg as Reply);
      else onOther(msg);
    };
    worker.onerror = (e) => this.rejectAll(new Error(`worker failed: ${e.message || 'unknown error'}`));
  }

  private settle(msg: Reply): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.kind === 'result') p.resolve(msg.result);
    else p.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
  }

  private rejectAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Sends `body` with a fresh id; `onId` sees the id before the message leaves (to route progress). */
  call(body: object, transfer: Transferable[] = [], onId?: (id: number) => void): Promise<unknown> {
    const id = this.nextId++;
    onId?.(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...body }, transfer);
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.rejectAll(new Error('worker terminated'));
  }
}
