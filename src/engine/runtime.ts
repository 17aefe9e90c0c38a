// The runtime seam: the only module that imports onnxruntime. Owns backend selection and
// fallback, session caching per graph, one run queue, and device-resident tensors.
import type * as OrtWeb from 'onnxruntime-web';
import { type DType, type HostTensor, numel } from './dtype.js';
import { Graph } from './graph.js';
import { add } from './ops.js';
import { captureConsole, installConsoleTee, type Placement, parsePlacement } from './ort-log.js';

export type { Placement } from './ort-log.js';

type Ort = typeof OrtWeb;
type OrtTensor = OrtWeb.Tensor;
type OrtSession = OrtWeb.InferenceSession;

export type BackendName = 'node-cpu' | 'web-wasm' | 'web-webgpu';
export const BACKENDS: readonly BackendName[] = ['node-cpu', 'web-wasm', 'web-webgpu'];

/** Thrown when a requested backend cannot run here; `reason` says why in plain words. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`backend ${backend} is unavailable: ${reason}`);
  }
}

/** What the runtime found about this environment; frozen once created. */
export interface Capabilities {
  readonly backend: BackendName;
  readonly requested: BackendName | 'auto';
  readonly fallbackReason: string | null;
  readonly threads: number; // per kernel; 0 on node-cpu: ORT's default (one per core)
  readonly crossOriginIsolated: boolean;
  readonly residentOnGpu: boolean;
}

export interface RuntimeOptions {
  /** Where the onnxruntime-web .wasm/.mjs files are served (browser only). */
  wasmPaths?: string;
  /**
   * Threads per kernel: WASM threads (default min(4, cores − 1) when cross-origin isolated, else 1:
   * on 2 cores one WASM thread trained 3.4 steps/s, two 2.7–3.0, and the page's main thread kept a core);
   * on node-cpu ORT's intra-op threads (default: ORT's own choice, one per core). One thread per
   * runtime suits several runs trained side by side, one per core (`gcrl repro --jobs`).
   */
  threads?: number;
  /** Fall back from web-webgpu to web-wasm when WebGPU fails (default true). */
  fallback?: boolean;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

async function loadOrt(backend: BackendName): Promise<Ort> {
  if (backend === 'node-cpu') {
    if (!isNode) throw new BackendUnavailableError(backend, 'not running in Node.js');
    const name = 'onnxruntime-node'; // a variable keeps bundlers from pulling it into the web build
    const mod = (await import(/* @vite-ignore */ name)) as Ort & { default?: Ort };
    return mod.default ?? mod;
  }
  if (isNode && backend === 'web-wasm') {
    // onnxruntime-web's Node build runs the same WASM kernels as the page (used by parity tests).
    const name = 'onnxruntime-web';
    const mod = (await import(/* @vite-ignore */ name)) as Ort & { default?: Ort };
    return mod.default ?? mod;
  }
  if (isNode) throw new BackendUnavailableError(backend, 'WebGPU runs in a browser, not in Node.js');
  installConsoleTee();
  // WASM runs ORT's plain build (ort-wasm-simd-threaded.wasm, 14 MB): the WebGPU build's WASM
  // (JSEP, 28 MB) is compiled for asynchronous GPU calls and ran the same CPU kernels about half as
  // fast (a GC-RL step in Chromium: see docs/engine.md); both come from the one onnxruntime-web.
  if (backend === 'web-wasm') return (await import('onnxruntime-web/wasm')) as Ort;
  return (await import('onnxruntime-web/webgpu')) as Ort;
}

async function checkWebGpu(): Promise<void> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu)
    throw new BackendUnavailableError(
      'web-webgpu',
      'navigator.gpu is missing (no WebGPU in this browser/context)',
    );
  const adapter = await gpu.requestAdapter().catch((e: unknown) => {
    throw new BackendUnavailableError('web-webgpu', `requestAdapter failed: ${String(e)}`);
  });
  if (!adapter) throw new BackendUnavailableError('web-webgpu', 'no WebGPU adapter available');
}

/** A tensor owned by the runtime, on the CPU or (WebGPU) in a GPU buffer. Dispose when done. */
export class DeviceTensor {
  constructor(
    readonly ort: OrtTensor,
    readonly dtype: DType,
    readonly shape: readonly number[],
  ) {}
  get onGpu(): boolean {
    return this.ort.location === 'gpu-buffer';
  }
  async read(): Promise<HostTensor> {
    const data = this.onGpu ? await this.ort.getData() : this.ort.data;
    return { dtype: this.dtype, shape: this.shape, data: data as HostTensor['data'] };
  }
  dispose(): void {
    if (this.onGpu) this.ort.dispose();
  }
}

export type Feed = HostTensor | DeviceTensor;

export interface CompileOptions {
  /** Outputs to keep on the device (GPU buffers on WebGPU) for feeding back as inputs. */
  resident?: readonly string[];
  /** Capture ORT's verbose log while creating the session and return node placements. */
  logPlacement?: boolean;
  /** A hint that the program runs many short calls (decode steps) where threading costs more than it saves. */
  latencyBound?: boolean;
}

/** A compiled graph: one ORT session, reused for every run with the same graph. */
export class Program {
  constructor(
    private readonly rt: Runtime,
    private readonly session: OrtSession,
    /** Nodes per execution provider, from ORT's verbose log (only with logPlacement). */
    readonly placement: Placement,
  ) {}
  private released = false;
  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }
  /** Runs the graph (queued: runs never overlap). Outputs stay where the session put them. */
  run(feeds: Readonly<Record<string, Feed>>): Promise<Record<string, DeviceTensor>> {
    if (this.released)
      return Promise.reject(new Error('this program was released (its runtime was disposed)'));
    return this.rt.enqueue(async () => {
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const [name, f] of Object.entries(feeds)) ortFeeds[name] = this.rt.toOrt(f);
      const out = await this.session.run(ortFeeds);
      const result: Record<string, DeviceTensor> = {};
      for (const [name, t] of Object.entries(out)) {
        const tensor = t as OrtTensor;
        result[name] = new DeviceTensor(tensor, fromOrtType(tensor.type), [...tensor.dims]);
      }
      return result;
    });
  }
  /** Frees the session (its weights and buffers in ORT); a run afterwards fails with a clear error. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.rt.enqueue(() => this.session.release());
  }
  /** Runs and downloads every output to host memory. */
  async runHost(feeds: Readonly<Record<string, Feed>>): Promise<Record<string, HostTensor>> {
    const out = await this.run(feeds);
    const host: Record<string, HostTensor> = {};
    for (const [k, t] of Object.entries(out)) {
      host[k] = await t.read();
      t.dispose();
    }
    return host;
  }
}

const fromOrtType = (t: string): DType =>
  t === 'float32' || t === 'float64' || t === 'int32' || t === 'int64' || t === 'bool' ? t : unsupported(t);
const unsupported = (t: string): never => {
  throw new Error(`unsupported tensor type from ORT: ${t}`);
};

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return `${(h >>> 0).toString(16)}:${bytes.length}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// GCRL_ORT_PROFILE=DIR (Node only): every session writes ORT's profile (per-node kernel times) to
// DIR when the process exits; `npx tsx bench/ort-profile.ts DIR` sums it per graph and op.
const profileDir = isNode ? process.env.GCRL_ORT_PROFILE : undefined;
const profiled: OrtSession[] = [];
if (profileDir)
  process.on('exit', () => {
    for (const s of profiled) (s as unknown as { endProfiling(): void }).endProfiling();
  });

/** One backend, its sessions and its run queue. Create with `Runtime.create`. */
export class Runtime {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly programs = new Map<string, { model: Uint8Array; program: Promise<Program> }>();

  private constructor(
    private readonly ort: Ort,
    readonly caps: Capabilities,
  ) {}

  get backend(): BackendName {
    return this.caps.backend;
  }

  /**
   * Opens `backend`, or the best available with 'auto' (web-webgpu, else web-wasm in a browser;
   * node-cpu in Node). With fallback (default), a failing web-webgpu falls back to web-wasm and
   * `caps.fallbackReason` says why; otherwise a BackendUnavailableError is thrown.
   */
  static async create(requested: BackendName | 'auto' = 'auto', opts: RuntimeOptions = {}): Promise<Runtime> {
    const want: BackendName = requested === 'auto' ? (isNode ? 'node-cpu' : 'web-webgpu') : requested;
    try {
      return await Runtime.open(want, requested, null, opts);
    } catch (e) {
      const fallback = opts.fallback ?? true;
      // In Node there is no WebGPU to fall back from: asking for it is a mistake worth reporting.
      if (want !== 'web-webgpu' || !fallback || isNode) throw e;
      const reason = e instanceof BackendUnavailableError ? e.reason : String(e);
      return Runtime.open('web-wasm', requested, reason, opts);
    }
  }

  /**
   * The capabilities a runtime of `backend` opens with, known before ORT loads (a page can name
   * the backend and its threads while a runtime is still to be started).
   */
  static plannedCaps(
    backend: BackendName,
    requested: BackendName | 'auto',
    fallbackReason: string | null,
    opts: RuntimeOptions = {},
  ): Capabilities {
    const coi = !isNode && globalThis.crossOriginIsolated === true;
    const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
    const threads =
      backend === 'node-cpu'
        ? (opts.threads ?? 0) // 0: ORT's default
        : (opts.threads ?? (coi ? Math.max(1, Math.min(4, cores - 1)) : 1)); // a core left to the page
    return Object.freeze({
      backend,
      requested,
      fallbackReason,
      threads,
      crossOriginIsolated: coi,
      residentOnGpu: backend === 'web-webgpu',
    });
  }

  private static async open(
    backend: BackendName,
    requested: BackendName | 'auto',
    fallbackReason: string | null,
    opts: RuntimeOptions,
  ): Promise<Runtime> {
    const ort = await loadOrt(backend);
    const caps = Runtime.plannedCaps(backend, requested, fallbackReason, opts);
    if (backend !== 'node-cpu') {
      if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
      ort.env.wasm.numThreads = caps.threads;
      ort.env.wasm.proxy = false;
    }
    if (backend === 'web-webgpu') await checkWebGpu();
    const rt = new Runtime(ort, caps);
    // Prove the backend works now (WebGPU device creation happens at the first session).
    await rt.selfTest();
    return rt;
  }

  private async selfTest(): Promise<void> {
    const g = new Graph('selftest');
    const a = g.input('a', 'float32', [1]);
    g.output(add(a, 1), 'y');
    const p = await this.compile(g.toOnnx());
    const y = await p.runHost({ a: { dtype: 'float32', shape: [1], data: new Float32Array([41]) } });
    if (y.y?.data[0] !== 42)
      throw new BackendUnavailableError(this.backend, 'self-test computed a wrong result');
  }

  /** Serialises runs: WebGPU must never overlap session.run() calls. */
  enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Creates (or reuses) the session for these model bytes and options. */
  compile(model: Uint8Array, opts: CompileOptions = {}): Promise<Program> {
    const base = `${fnv1a(model)}|${[...(opts.resident ?? [])].sort().join(',')}|${opts.logPlacement ? 1 : 0}`;
    // The hash only narrows the search: a hit must hold the very same bytes.
    let key = base;
    for (let n = 1; this.programs.has(key); n++) {
      const hit = this.programs.get(key) as { model: Uint8Array; program: Promise<Program> };
      if (sameBytes(hit.model, model)) return hit.program;
      key = `${base}#${n}`;
    }
    const program = this.createProgram(model, opts);
    program.catch(() => this.programs.delete(key));
    this.programs.set(key, { model: model.slice(), program });
    return program;
  }

  private async createProgram(model: Uint8Array, opts: CompileOptions): Promise<Program> {
    const so: OrtWeb.InferenceSession.SessionOptions = {
      executionProviders: [
        this.backend === 'web-webgpu' ? { name: 'webgpu' } : this.backend === 'web-wasm' ? 'wasm' : 'cpu',
      ],
      graphOptimizationLevel: 'all',
    };
    if (this.backend === 'node-cpu') {
      // Each session has its own thread pool; spinning pools starve the next session's run on a
      // small machine (measured: 2.3 → 4.1 GC-RL steps/s on 2 cores with spinning off), and
      // decode steps are too small to gain from a second thread.
      so.extra = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };
      if (opts.latencyBound) so.intraOpNumThreads = 1;
      else if (this.caps.threads > 0) so.intraOpNumThreads = this.caps.threads;
    }
    if (this.caps.residentOnGpu && opts.resident?.length) {
      so.preferredOutputLocation = Object.fromEntries(opts.resident.map((n) => [n, 'gpu-buffer' as const]));
    }
    if (profileDir) {
      so.enableProfiling = true;
      so.profileFilePrefix = `${profileDir}/${fnv1a(model).replace(':', '_')}`;
    }
    const log: string[] = [];
    if (opts.logPlacement) {
      so.logSeverityLevel = 0;
      so.logVerbosityLevel = 0;
    }
    const session = await this.enqueue(() =>
      opts.logPlacement && !isNode
        ? captureConsole(log, () => this.ort.InferenceSession.create(model, so))
        : this.ort.InferenceSession.create(model, so),
    );
    if (profileDir) profiled.push(session);
    return new Program(this, session, parsePlacement(log));
  }

  /**
   * Releases every session this runtime compiled (a runtime that lost the backend calibration, for
   * one); later compiles create new sessions, earlier programs refuse to run.
   */
  async dispose(): Promise<void> {
    const programs = [...this.programs.values()].map((p) => p.program);
    this.programs.clear();
    const settled = await Promise.allSettled(programs);
    await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? r.value.release() : undefined)));
  }

  /** Wraps host data in an ORT tensor, or passes a device tensor through. */
  toOrt(f: Feed): OrtTensor {
    if (f instanceof DeviceTensor) return f.ort;
    if (f.data.length !== numel(f.shape)) {
      throw new Error(`tensor data has ${f.data.length} elements for shape [${f.shape.join(', ')}]`);
    }
    return new this.ort.Tensor(f.dtype, f.data as Float32Array, [...f.shape]);
  }

  /** Uploads a host tensor so it can be kept resident (on WebGPU it stays a CPU tensor until a run). */
  upload(t: HostTensor): DeviceTensor {
    return new DeviceTensor(this.toOrt(t), t.dtype, t.shape);
  }
}
