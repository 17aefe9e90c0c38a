// A run as the page drives it: start runs to the step count, pause holds the counter, single
// steps advance by one, stop is final, and a NaN loss ends the run with every earlier row kept.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { Runtime } from '../../src/engine/runtime.js';
import type { Metrics } from '../../src/rl/rewards.js';
import { RunController, RunFailure, type RunStatus, runHeadless } from '../../src/rl/run-controller.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';
import { tinyConfig } from './tiny-config.js';

let rt: Runtime;
let base: Checkpoint;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
  base = await loadCheckpointDir('public/models/weak');
});

async function controller(steps: number, flushMs = 0) {
  const trainer = await GcrlTrainer.create(rt, tinyConfig(steps), base);
  const log = { rows: [] as Metrics[], statuses: [] as [RunStatus, number, string?][], samples: 0 };
  const c = new RunController(
    trainer,
    {
      rows: (r) => log.rows.push(...r),
      samples: () => log.samples++,
      status: (s, step, err) => log.statuses.push([s, step, err]),
    },
    flushMs,
  );
  return { trainer, c, log };
}

describe('RunController', () => {
  it('runs to the step count, then reports done', async () => {
    const { trainer, c, log } = await controller(3);
    await c.start();
    expect(c.status).toBe('done');
    expect(log.rows.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(log.statuses.map((s) => s[0])).toEqual(['running', 'done']);
    expect(log.samples).toBeGreaterThan(0);
    await c.start(); // nothing left to do
    expect(trainer.stepCount).toBe(3);
    trainer.dispose();
  });

  it('pauses after the step in progress, single-steps, resumes and stops for good', async () => {
    const { trainer, c, log } = await controller(50);
    void c.start();
    await new Promise((r) => setTimeout(r, 50));
    await c.pause();
    const held = trainer.stepCount;
    expect(c.status).toBe('paused');
    await new Promise((r) => setTimeout(r, 100));
    expect(trainer.stepCount).toBe(held);
    await c.stepOnce();
    expect(trainer.stepCount).toBe(held + 1);
    expect(c.status).toBe('paused');
    void c.start();
    await new Promise((r) => setTimeout(r, 50));
    await c.stop();
    const final = trainer.stepCount;
    expect(c.status).toBe('stopped');
    await c.start();
    await c.stepOnce();
    expect(trainer.stepCount).toBe(final);
    expect(log.rows.map((r) => r.step)).toEqual(Array.from({ length: final }, (_, i) => i + 1));
    trainer.dispose();
  });

  it('batches rows at the flush rate without losing any', async () => {
    const { trainer, c, log } = await controller(6, 60_000);
    await c.start();
    expect(log.rows).toHaveLength(6); // flushed on the status change, not per step
    trainer.dispose();
  });

  it('stops at a NaN loss with a clear message and keeps the rows logged before it', async () => {
    const { trainer, c, log } = await controller(5);
    await c.stepOnce();
    const wte = await trainer.policy.state.read('wte');
    trainer.policy.state.set('wte', { ...wte, data: new Float32Array(wte.data.length).fill(Number.NaN) });
    await c.start();
    expect(c.status).toBe('error');
    const [status, step, error] = log.statuses.at(-1) ?? [];
    expect(status).toBe('error');
    expect(step).toBe(2);
    expect(error).toMatch(/training stopped at step 2: .*NaN/);
    expect(log.rows.map((r) => r.step)).toEqual([1]);
    trainer.dispose();
  });
});

describe('a deferred baseline (the page)', () => {
  it('sends row 0 with the first evaluation (or at the end), with the numbers a baseline before training gives', async () => {
    const { trainer, c, log } = await controller(3);
    c.deferBaseline();
    await c.start();
    expect(log.rows.map((r) => r.step)).toEqual([1, 2, 3, 0]); // no evaluation in 3 steps: at the end
    const late = log.rows[3] as Metrics;
    const early: Metrics[] = [];
    const other = await GcrlTrainer.create(rt, tinyConfig(1), base);
    await runHeadless(other, (m) => early.push(m));
    other.dispose();
    const evalKeys = (m: Metrics) =>
      Object.fromEntries(Object.entries(m).filter(([k]) => k.startsWith('eval/')));
    expect(Object.keys(evalKeys(late)).length).toBeGreaterThan(5);
    expect(evalKeys(late)).toEqual(evalKeys(early[0] as Metrics));
    trainer.dispose();
  });

  it('sends row 0 right after the step that carries the first evaluation', async () => {
    const cfg = { ...tinyConfig(4), eval: { every: 2, questions: 4 } };
    const trainer = await GcrlTrainer.create(rt, cfg, base);
    const steps: number[] = [];
    const c = new RunController(
      trainer,
      { rows: (r) => steps.push(...r.map((x) => x.step as number)), samples: () => {}, status: () => {} },
      0,
    );
    c.deferBaseline();
    await c.start();
    expect(steps).toEqual([1, 2, 0, 3, 4]);
    trainer.dispose();
  });
});

describe("runHeadless (the CLI's step loop)", () => {
  it('hands over the baseline row, then one row per step, each as its step ends', async () => {
    const trainer = await GcrlTrainer.create(rt, tinyConfig(3), base);
    const seen: number[] = [];
    await runHeadless(trainer, (m) => seen.push(m.step as number));
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(trainer.stepCount).toBe(3);
    trainer.dispose();
  });

  it('rejects at a NaN loss with the failing step, every earlier row delivered', async () => {
    const trainer = await GcrlTrainer.create(rt, tinyConfig(5), base);
    await trainer.step(); // step 1 ran; now poison the weights so step 2 fails
    const wte = await trainer.policy.state.read('wte');
    trainer.policy.state.set('wte', { ...wte, data: new Float32Array(wte.data.length).fill(Number.NaN) });
    const seen: number[] = [];
    const run = runHeadless(trainer, (m) => seen.push(m.step as number));
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunFailure);
    expect((err as RunFailure).step).toBe(2);
    expect((err as RunFailure).message).toMatch(/training stopped at step 2: .*NaN/);
    expect(seen).toEqual([0]); // the baseline row left before the failing step
    trainer.dispose();
  });
});
