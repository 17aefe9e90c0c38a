// Owns the run workers (one per run) and keeps the store in step with them: create, start, pause,
// single-step, stop, reset, remove, queue scheduling, checkpoints, and IndexedDB persistence
// (a second after a change, and at once when the page is hidden or closed).
import { unpackModelCheckpoint } from '../../src/checkpoint/model-check.js';
import type { BackendName } from '../../src/engine/runtime.js';
import { configErrors, type TrainConfig } from '../../src/rl/config.js';
import type { BaseSource, RunEvent, RunRequest, RunResults, Snapshot } from '../../workers/run-protocol.js';
import { idb, type StoredRun } from '../state/idb';
import { type RunRecord, type State, useStore } from '../state/store';
import { FINAL, restoredStatus } from './lifecycle';
import { RunClient } from './runClient';
import { setSavedNames } from './savedNames';

const COLORS = ['#2f81f7', '#e5534b', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#8b949e'];

type Store = typeof useStore;

/** A request to a worker the manager itself ended (stop during creation, reset, remove): not a failure. */
class Retired extends Error {}

/** A checkpoint file read and checked, ready to store under `name`. */
export interface ImportedCheckpoint {
  name: string;
  steps: number;
  parent: string;
  bytes: Uint8Array;
}

export class RunManager {
  private readonly clients = new Map<string, { client: RunClient; created: Promise<void> }>();
  private readonly retired = new WeakSet<RunClient>();
  private seq = 0;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private dirty = new Set<string>();

  constructor(
    private readonly backend: BackendName | 'auto' | Promise<BackendName | 'auto'>,
    private readonly store: Store = useStore,
  ) {
    store.subscribe((s, prev) => this.track(s, prev));
  }

  /** Saves at once when the page is hidden or closed (a reload loses no rows the page had). */
  flushOnHide(win: Pick<Window, 'addEventListener' | 'document'>): void {
    win.addEventListener('pagehide', () => void this.flush());
    win.document.addEventListener('visibilitychange', () => {
      if (win.document.visibilityState === 'hidden') void this.flush();
    });
  }

  private get s(): State {
    return this.store.getState();
  }

  private record(id: string): RunRecord {
    const r = this.s.runs.find((x) => x.id === id);
    if (!r) throw new Error(`no run '${id}'`);
    return r;
  }

  /** Adds a run (idle, or queued behind others); returns its id. Invalid configs are refused. */
  add(
    config: TrainConfig,
    opts: { name?: string; experiment?: string; queued?: boolean } = {},
  ): string | null {
    const errs = configErrors(config);
    if (errs.length) {
      this.s.setNotice({ kind: 'error', text: `This config cannot run: ${errs.join('; ')}` });
      return null;
    }
    const id = `run-${Date.now().toString(36)}-${++this.seq}`;
    const used = new Set(this.s.runs.map((r) => r.color));
    this.s.addRun({
      id,
      name: opts.name ?? `${config.mode} · seed ${config.seed}`,
      config: structuredClone(config),
      status: opts.queued ? 'queued' : 'idle',
      step: 0,
      createdAt: new Date().toISOString(),
      experiment: opts.experiment,
      color: COLORS.find((c) => !used.has(c)) ?? (COLORS[this.s.runs.length % COLORS.length] as string),
    });
    return id;
  }

  private async baseSource(base: string): Promise<BaseSource> {
    if (base.startsWith('saved:')) {
      const name = base.slice('saved:'.length);
      const ck = await idb.checkpoint(name);
      if (!ck) throw new Error(`no saved checkpoint named '${name}' in this browser`);
      return { bundle: ck.bytes.slice(), name: base };
    }
    if (!/^[a-z0-9-]+$/.test(base)) throw new Error(`unknown base checkpoint '${base}'`);
    return { url: new URL(`models/${base}`, new URL(import.meta.env.BASE_URL, location.href)).href };
  }

  /** The run's worker, created (checkpoint loaded; the baseline row comes with the first evaluation) on first use. */
  private async worker(id: string) {
    let w = this.clients.get(id);
    if (!w) {
      const client = new RunClient(this.backend, (e) => this.onEvent(id, e));
      // A run that has not taken a step starts from its base: rows of an earlier life go.
      if (this.record(id).step === 0) this.store.setState((s) => ({ rows: { ...s.rows, [id]: [] } }));
      const created = (async () => {
        this.s.patchRun(id, { status: 'creating', error: undefined });
        const caps = await this.call(client, client.ready);
        this.s.patchRun(id, { backend: caps.backend });
        const base = await this.baseSource(this.record(id).config.base);
        await this.call(client, client.request({ type: 'create', config: this.record(id).config, base }));
        this.s.patchRun(id, { status: 'idle' });
      })();
      w = { client, created };
      this.clients.set(id, w);
      created.catch((e: Error) => this.fail(id, e));
    }
    await w.created;
    return w.client;
  }

  /** A worker reply; once the manager has ended that worker, its failures are `Retired`, not errors. */
  private async call<T>(client: RunClient, reply: Promise<T>): Promise<T> {
    try {
      return await reply;
    } catch (e) {
      throw this.retired.has(client) ? new Retired() : e;
    }
  }

  private send<T extends RunRequest>(client: RunClient, req: T): Promise<RunResults[T['type']]> {
    return this.call(client, client.request(req));
  }

  /** Ends the run's worker (if any) on purpose: what it had in flight is dropped quietly. */
  private retire(id: string): void {
    const w = this.clients.get(id);
    if (!w) return;
    this.retired.add(w.client);
    this.clients.delete(id);
    w.client.terminate();
  }

  private fail(id: string, e: Error): void {
    if (e instanceof Retired) return;
    this.retire(id);
    this.s.patchRun(id, { status: 'error', error: e.message });
    this.next();
  }

  private onEvent(id: string, e: RunEvent): void {
    if (e.type === 'rows') {
      this.s.appendRows(id, e.rows);
      const last = e.rows.at(-1)?.step;
      const run = this.s.runs.find((r) => r.id === id);
      if (last !== undefined && last > (run?.step ?? 0)) this.s.patchRun(id, { step: last }); // a late row 0 moves nothing
    } else if (e.type === 'samples') this.s.setSamples(id, e.samples);
    else {
      this.s.patchRun(id, { status: e.status, step: e.step, ...(e.error ? { error: e.error } : {}) });
      if (FINAL.has(e.status)) this.next();
    }
  }

  /** Queue mode: when nothing is running, the oldest queued run starts. */
  private next(): void {
    const runs = this.s.runs;
    if (runs.some((r) => ['running', 'creating', 'pausing', 'stopping'].includes(r.status))) return;
    const q = runs.find((r) => r.status === 'queued');
    if (q) void this.start(q.id);
  }

  private async act(id: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.fail(id, e as Error);
    }
  }

  /** Start/resume or one step: the worker is created on first use; finished runs ignore it. */
  private advance = (id: string, type: 'start' | 'step') =>
    this.act(id, async () => {
      if (FINAL.has(this.record(id).status)) return;
      const client = await this.worker(id);
      await this.send(client, { type });
    });
  start = (id: string) => this.advance(id, 'start');
  pause = (id: string) =>
    this.act(id, async () => {
      const w = this.clients.get(id);
      if (!w || this.record(id).status !== 'running') return;
      this.s.patchRun(id, { status: 'pausing' }); // until the step in progress ends
      await this.send(w.client, { type: 'pause' });
    });
  step = (id: string) => this.advance(id, 'step');
  /** Final. A run still loading its base has nothing to keep: its worker ends at once. */
  stop = (id: string) =>
    this.act(id, async () => {
      const w = this.clients.get(id);
      const status = this.record(id).status;
      if (FINAL.has(status)) return;
      if (!w || status === 'creating') {
        this.retire(id);
        this.s.patchRun(id, { status: 'stopped' });
        return this.next();
      }
      if (status === 'running') this.s.patchRun(id, { status: 'stopping' });
      await this.send(w.client, { type: 'stop' });
    });

  /** Back to step 0 with the same config: the worker is dropped and the rows cleared. */
  reset(id: string): void {
    this.retire(id);
    this.store.setState((s) => ({
      rows: { ...s.rows, [id]: [] },
      samples: Object.fromEntries(Object.entries(s.samples).filter(([k]) => k !== id)),
    }));
    this.s.patchRun(id, { status: 'idle', step: 0, error: undefined });
  }

  remove(id: string): void {
    this.retire(id);
    this.s.removeRun(id);
    void idb.deleteRun(id).catch(() => undefined);
    this.next();
  }

  duplicate(id: string): string | null {
    const r = this.record(id);
    return this.add(r.config, { name: `${r.name} (copy)`, experiment: r.experiment });
  }

  /** Experiment presets: every arm as a run, side by side or one after another. */
  launch(arms: { label: string; config: TrainConfig }[], experiment: string): void {
    const parallel = this.s.schedule === 'parallel';
    const ids = arms.map((a) => this.add(a.config, { name: a.label, experiment, queued: !parallel }));
    if (!parallel) {
      this.next();
      return;
    }
    for (const id of ids) if (id) void this.start(id);
  }

  /**
   * The run's weights between steps as a checkpoint bundle (safetensors with the config inside),
   * named `<label>-step<N>` by the worker after the step those weights are from.
   */
  async snapshot(id: string, label: string): Promise<Snapshot> {
    const w = this.clients.get(id);
    if (!w)
      throw new Error('this run has no live weights (interrupted by a reload, stopped, or not started)');
    await w.created;
    return this.send(w.client, { type: 'checkpoint', label });
  }

  /** Saves a snapshot in this browser; returns its name. */
  async saveCheckpoint(id: string, label: string): Promise<string> {
    const snap = await this.snapshot(id, label);
    await idb.putCheckpoint({
      name: snap.name,
      createdAt: new Date().toISOString(),
      steps: snap.step,
      parent: this.record(id).config.base,
      bytes: snap.bytes,
    });
    await this.refreshCheckpoints();
    return snap.name;
  }

  /**
   * Reads a checkpoint file and checks it against the model (src/checkpoint/model-check.ts: dimensions,
   * tokenizer, every tensor's name, shape and dtype, no NaN/Inf); stores nothing.
   */
  async readCheckpointFile(file: File): Promise<ImportedCheckpoint> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const ck = unpackModelCheckpoint(bytes); // throws CheckpointError listing every problem
    const name = file.name.replace(/\.[^.]*$/, '') || 'imported';
    return { name, steps: ck.provenance.steps, parent: ck.provenance.parent ?? file.name, bytes };
  }

  /** Stores a checked checkpoint; one of the same name is replaced (the page asks first). */
  async storeCheckpoint(c: ImportedCheckpoint): Promise<void> {
    await idb.putCheckpoint({ ...c, createdAt: new Date().toISOString() });
    await this.refreshCheckpoints();
  }

  /** Validates a checkpoint file fully before storing it; a bad file changes nothing. */
  async importCheckpoint(file: File): Promise<string> {
    const c = await this.readCheckpointFile(file);
    await this.storeCheckpoint(c);
    return c.name;
  }

  async refreshCheckpoints(): Promise<void> {
    const all = await idb.checkpoints();
    all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    setSavedNames(all.map((c) => c.name));
    this.s.setCheckpoints(
      all.map(({ name, createdAt, steps, parent }) => ({ name, createdAt, steps, parent })),
    );
  }

  /**
   * Runs from earlier visits come back with their rows. Their weights are gone: live ones come back
   * `interrupted`, final ones as they were, never-started ones can still start (the queue goes on).
   */
  async restore(): Promise<void> {
    const stored = await idb.runs();
    stored.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const r of stored) {
      if (this.s.runs.some((x) => x.id === r.id)) continue;
      const { rows, ...rec } = r;
      this.s.addRun({ ...rec, status: restoredStatus(r.status) } as RunRecord);
      this.s.appendRows(r.id, rows);
    }
    this.next();
    await this.refreshCheckpoints().catch(() => undefined);
  }

  /** Marks runs whose record or rows changed and saves them a second later. */
  private track(s: State, prev: State): void {
    if (s.runs !== prev.runs)
      for (const r of s.runs) if (prev.runs.find((p) => p.id === r.id) !== r) this.dirty.add(r.id);
    if (s.rows !== prev.rows)
      for (const id of Object.keys(s.rows)) if (s.rows[id] !== prev.rows[id]) this.dirty.add(id);
    if (this.dirty.size && !this.saveTimer) this.saveTimer = setTimeout(() => void this.flush(), 1000);
  }

  /** Saves every changed run in one transaction, started before this returns when it can be. */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const runs: StoredRun[] = [];
    for (const id of this.dirty) {
      const r = this.s.runs.find((x) => x.id === id);
      if (r) runs.push({ ...r, rows: this.s.rows[id] ?? [] });
    }
    this.dirty.clear();
    if (!runs.length) return;
    await idb.putRuns(runs).catch((e: Error) =>
      this.s.setNotice({
        kind: 'error',
        text: `Could not save ${runs.map((r) => `"${r.name}"`).join(', ')} in this browser: ${e.message}`,
      }),
    );
  }
}
