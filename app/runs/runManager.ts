// Owns the run workers (one per run) and keeps the store in step with them: create, start, pause,
// single-step, stop, reset, remove, queue scheduling, checkpoints, and IndexedDB persistence.
import { unpackCheckpoint } from '../../src/checkpoint/checkpoint.js';
import type { BackendName } from '../../src/engine/runtime.js';
import { configErrors, type TrainConfig } from '../../src/rl/config.js';
import type { BaseSource, RunEvent } from '../../workers/run-protocol.js';
import { idb } from '../state/idb';
import { type RunRecord, type State, useStore } from '../state/store';
import { RunClient } from './runClient';
import { setSavedNames } from './savedNames';

const COLORS = ['#2f81f7', '#e5534b', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#8b949e'];
const FINAL = new Set(['done', 'stopped', 'error', 'restored']);

type Store = typeof useStore;

export class RunManager {
  private readonly clients = new Map<
    string,
    { client: import('./runClient').RunClient; created: Promise<void> }
  >();
  private seq = 0;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private dirty = new Set<string>();

  constructor(
    private readonly backend: BackendName | 'auto',
    private readonly store: Store = useStore,
  ) {
    store.subscribe((s, prev) => this.track(s, prev));
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

  /** The run's worker, created (checkpoint loaded, baseline evaluated) on first use. */
  private async worker(id: string) {
    let w = this.clients.get(id);
    if (!w) {
      const client = new RunClient(this.backend, (e) => this.onEvent(id, e));
      const created = (async () => {
        this.s.patchRun(id, { status: 'creating', error: undefined });
        const caps = await client.ready;
        this.s.patchRun(id, { backend: caps.backend });
        await client.request({
          type: 'create',
          config: this.record(id).config,
          base: await this.baseSource(this.record(id).config.base),
        });
        this.s.patchRun(id, { status: 'idle' });
      })();
      w = { client, created };
      this.clients.set(id, w);
      created.catch((e: Error) => this.fail(id, e));
    }
    await w.created;
    return w.client;
  }

  private fail(id: string, e: Error): void {
    this.s.patchRun(id, { status: 'error', error: e.message });
    this.clients.get(id)?.client.terminate();
    this.clients.delete(id);
    this.next();
  }

  private onEvent(id: string, e: RunEvent): void {
    if (e.type === 'rows') {
      this.s.appendRows(id, e.rows);
      const last = e.rows.at(-1)?.step;
      if (last !== undefined) this.s.patchRun(id, { step: last });
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
      await (await this.worker(id)).request({ type });
    });
  start = (id: string) => this.advance(id, 'start');
  pause = (id: string) =>
    this.act(id, async () => {
      const w = this.clients.get(id);
      if (!w || this.record(id).status !== 'running') return;
      this.s.patchRun(id, { status: 'pausing' }); // until the step in progress ends
      await w.client.request({ type: 'pause' });
    });
  step = (id: string) => this.advance(id, 'step');
  stop = (id: string) =>
    this.act(id, async () => {
      const w = this.clients.get(id);
      if (!w) return this.s.patchRun(id, { status: 'stopped' });
      if (this.record(id).status === 'running') this.s.patchRun(id, { status: 'stopping' });
      await w.client.request({ type: 'stop' });
    });

  /** Back to step 0 with the same config: the worker is dropped and the rows cleared. */
  reset(id: string): void {
    this.clients.get(id)?.client.terminate();
    this.clients.delete(id);
    this.store.setState((s) => ({
      rows: { ...s.rows, [id]: [] },
      samples: Object.fromEntries(Object.entries(s.samples).filter(([k]) => k !== id)),
    }));
    this.s.patchRun(id, { status: 'idle', step: 0, error: undefined });
  }

  remove(id: string): void {
    this.clients.get(id)?.client.terminate();
    this.clients.delete(id);
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

  /** The run's current weights as a checkpoint bundle (safetensors with the config inside). */
  async checkpointBytes(id: string, name: string): Promise<Uint8Array> {
    const w = this.clients.get(id);
    if (!w) throw new Error('this run has no live weights (restored after a reload, or not started)');
    await w.created;
    return w.client.request({ type: 'checkpoint', name });
  }

  async saveCheckpoint(id: string, name: string): Promise<void> {
    const bytes = await this.checkpointBytes(id, name);
    await idb.putCheckpoint({
      name,
      createdAt: new Date().toISOString(),
      steps: this.record(id).step,
      parent: this.record(id).config.base,
      bytes,
    });
    await this.refreshCheckpoints();
  }

  /** Validates a checkpoint file fully before storing it; a bad file changes nothing. */
  async importCheckpoint(file: File): Promise<string> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const ck = unpackCheckpoint(bytes); // throws CheckpointError with the reason
    const name = file.name.replace(/\.[^.]*$/, '') || 'imported';
    await idb.putCheckpoint({
      name,
      createdAt: new Date().toISOString(),
      steps: ck.provenance.steps,
      parent: ck.provenance.parent ?? file.name,
      bytes,
    });
    await this.refreshCheckpoints();
    return name;
  }

  async refreshCheckpoints(): Promise<void> {
    const all = await idb.checkpoints();
    all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    setSavedNames(all.map((c) => c.name));
    this.s.setCheckpoints(
      all.map(({ name, createdAt, steps, parent }) => ({ name, createdAt, steps, parent })),
    );
  }

  /** Runs from earlier visits come back with their rows; their weights are gone, so they are read-only. */
  async restore(): Promise<void> {
    const stored = await idb.runs();
    stored.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const r of stored) {
      if (this.s.runs.some((x) => x.id === r.id)) continue;
      const { rows, ...rec } = r;
      this.s.addRun({
        ...rec,
        status: r.status === 'done' || r.status === 'error' ? (r.status as RunRecord['status']) : 'restored',
      } as RunRecord);
      this.s.appendRows(r.id, rows);
    }
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

  async flush(): Promise<void> {
    this.saveTimer = null;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const r = this.s.runs.find((x) => x.id === id);
      if (!r) continue;
      await idb.putRun({ ...r, rows: this.s.rows[id] ?? [] } as never).catch((e: Error) =>
        this.s.setNotice({
          kind: 'error',
          text: `Could not save run "${r.name}" in this browser: ${e.message}`,
        }),
      );
    }
  }
}
