// Drives one GcrlTrainer as a user sees a run: start, pause, resume, single step, stop; metrics
// leave in batches at a bounded rate, and a failing step (NaN loss) ends the run with a message
// while every row logged before it is kept. Shared by the page's run worker and Node tests.
import type { Metrics } from './rewards.js';
import type { GcrlTrainer, StepSamples } from './trainer.js';

export type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

export interface RunEvents {
  rows(rows: Metrics[]): void; // new metric rows, in step order (but a deferred baseline's row 0 after row 1)
  samples(s: StepSamples): void; // the latest step's rollouts (at most once per flush)
  status(status: RunStatus, step: number, error?: string): void;
}

/** The step counter a run has reached, as a message when a step fails. */
export const stepFailure = (step: number, e: unknown): string =>
  `training stopped at step ${step}: ${e instanceof Error ? e.message : String(e)}`;

/** Resolves after pending events (a worker's incoming messages) have had their turn. */
const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

export class RunController {
  status: RunStatus = 'idle';
  private pending: Metrics[] = [];
  private samplesDirty = false;
  private lastFlush = 0;
  private loop: Promise<void> | null = null;
  private baselineDue = false;

  constructor(
    private readonly trainer: GcrlTrainer,
    private readonly events: RunEvents,
    private readonly flushMs = 250, // the fastest rate at which rows leave
  ) {}

  get step(): number {
    return this.trainer.stepCount;
  }

  private get finished(): boolean {
    return this.trainer.stepCount >= this.trainer.cfg.steps;
  }

  private setStatus(s: RunStatus, error?: string): void {
    this.status = s;
    this.flush(true);
    this.events.status(s, this.trainer.stepCount, error);
  }

  private flush(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastFlush < this.flushMs) return;
    this.lastFlush = now;
    if (this.pending.length) this.events.rows(this.pending.splice(0));
    if (this.samplesDirty) this.events.samples(this.trainer.lastSamples);
    this.samplesDirty = false;
  }

  /** The held-out evaluation of the base checkpoint (the policy before any training), as row `step: 0`. */
  async baseline(): Promise<void> {
    this.baselineDue = false;
    this.pending.push({ step: 0, ...(await this.trainer.evaluate('base')) });
    this.flush(true);
  }

  /**
   * The `step: 0` row with the first evaluation (or at the end of a run shorter than that) instead
   * of before the first step: the page's charts start at once, and the base checkpoint's numbers —
   * the same numbers, since they are taken on the frozen reference — arrive beside the first
   * evaluated point. Rows then leave out of step order once.
   */
  deferBaseline(): void {
    this.baselineDue = true;
  }

  /** Runs one step (then a deferred baseline when due); false (and status 'error') when it failed. */
  private async runStep(): Promise<boolean> {
    try {
      const row = await this.trainer.step();
      this.pending.push(row);
      this.samplesDirty = true;
      const baselineNow = this.baselineDue && ('eval/gen/acc' in row || this.finished);
      this.flush(baselineNow); // the step leaves before the baseline is taken
      if (baselineNow) await this.baseline();
      return true;
    } catch (e) {
      this.setStatus('error', stepFailure(this.trainer.stepCount, e));
      return false;
    }
  }

  /** Starts or resumes; resolves when the run pauses, stops, fails or reaches its step count. */
  start(): Promise<void> {
    if (this.loop) return this.loop;
    if (this.status !== 'idle' && this.status !== 'paused') return Promise.resolve();
    if (this.finished) {
      this.setStatus('done');
      return Promise.resolve();
    }
    this.setStatus('running');
    this.loop = (async () => {
      while (this.status === 'running' && !this.finished) {
        if (!(await this.runStep())) break;
        await nextTask(); // let pause/stop messages in: a step may never yield to the event loop
      }
      if (this.status === 'running') this.setStatus('done');
      this.loop = null;
    })();
    return this.loop;
  }

  /** Takes effect after the step in progress; the step counter then stays still. */
  async pause(): Promise<void> {
    if (this.status !== 'running') return;
    this.status = 'paused';
    await this.loop;
    this.setStatus('paused');
  }

  /** One step while idle or paused. */
  async stepOnce(): Promise<void> {
    if (this.loop || (this.status !== 'idle' && this.status !== 'paused') || this.finished) return;
    this.loop = this.runStep().then(() => {
      this.loop = null;
    });
    await this.loop;
    if ((this.status as RunStatus) !== 'error') this.setStatus(this.finished ? 'done' : 'paused');
  }

  /** Ends the run for good (after the step in progress); its rows and weights stay readable. */
  async stop(): Promise<void> {
    if (this.status === 'done' || this.status === 'stopped' || this.status === 'error') return;
    this.status = 'stopped';
    await this.loop;
    this.setStatus('stopped');
  }
}

/** A run that ended at a failing step; `step` is the step that failed (rows before it were delivered). */
export class RunFailure extends Error {
  override name = 'RunFailure';
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs `trainer` headless to its step count through a RunController — the same step loop as the
 * page — handing over each metric row as its step ends: the held-out evaluation before training
 * first (row `step: 0`, unless `baseline` is false), then one row per step. A failing step (a NaN
 * loss) rejects with a RunFailure carrying the controller's message.
 */
export async function runHeadless(
  trainer: GcrlTrainer,
  onRow: (row: Metrics) => void,
  opts: { baseline?: boolean } = {},
): Promise<void> {
  let failure: RunFailure | null = null;
  const c = new RunController(
    trainer,
    {
      rows: (rows) => {
        for (const r of rows) onRow(r);
      },
      samples: () => {},
      status: (s, step, error) => {
        if (s === 'error') failure = new RunFailure(step, error ?? stepFailure(step, 'unknown error'));
      },
    },
    0, // every row leaves as soon as its step ends
  );
  if (opts.baseline ?? true) await c.baseline();
  await c.start();
  if (failure) throw failure;
}
