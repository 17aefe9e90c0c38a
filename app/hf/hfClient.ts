// The page's handle on the Hugging Face worker (transformers.js): one worker, created on first use,
// typed requests, streamed text and progress routed to the caller.

import type { ProbeSetOptions, ProbeTemplate } from '../../src/hf/probe.js';
import type {
  ExportResult,
  GenerateRequest,
  GenerateResult,
  HfEvent,
  HfSource,
  LoadResult,
  ProbeResult,
} from '../../src/hf/worker-protocol.js';
import { ortWasmPaths, WorkerRpc } from '../workerRpc';

type Listener = (e: HfEvent) => void;

export class HfClient {
  private rpc: WorkerRpc | null = null;
  private readonly listeners = new Map<number, Listener>();

  private get worker(): WorkerRpc {
    this.rpc ??= new WorkerRpc(
      new Worker(new URL('../../workers/hf.worker.ts', import.meta.url), { type: 'module' }),
      (msg) => this.listeners.get((msg as HfEvent).id)?.(msg as HfEvent),
    );
    return this.rpc;
  }

  private call<T>(body: object, on?: Listener, transfer: Transferable[] = []): Promise<T> {
    let id = 0;
    return (
      this.worker.call(body, transfer, (i) => {
        id = i;
        if (on) this.listeners.set(i, on);
      }) as Promise<T>
    ).finally(() => this.listeners.delete(id));
  }

  private static transfer(source: HfSource): Transferable[] {
    if (source.kind === 'bundle') return [source.bytes.buffer as ArrayBuffer];
    if (source.kind === 'folder') return source.entries.map((e) => e.bytes.buffer as ArrayBuffer);
    return [];
  }

  exportFolder(source: HfSource): Promise<ExportResult> {
    return this.call(
      { type: 'export', source, wasmPaths: ortWasmPaths() },
      undefined,
      HfClient.transfer(source),
    );
  }

  load(source: HfSource): Promise<LoadResult> {
    return this.call(
      { type: 'load', source, wasmPaths: ortWasmPaths() },
      undefined,
      HfClient.transfer(source),
    );
  }

  generate(request: GenerateRequest, onText: (text: string) => void): Promise<GenerateResult> {
    return this.call({ type: 'generate', request }, (e) => {
      if (e.kind === 'text') onText(e.text);
    });
  }

  probe(
    template: ProbeTemplate,
    ratio: number,
    set: ProbeSetOptions,
    onProgress: (done: number, total: number) => void,
  ): Promise<ProbeResult> {
    return this.call({ type: 'probe', template, ratio, set }, (e) => {
      if (e.kind === 'progress') onProgress(e.done, e.total);
    });
  }

  terminate(): void {
    this.rpc?.terminate();
    this.rpc = null;
  }
}

/** The page's one client (the worker starts on first use). */
export const hfClient = new HfClient();
