// A run as the page and the CLI drive it (RunController, runHeadless) over a trainer with a scripted
// policy: statuses in order, one row per step, pause/step/stop between steps, rows batched by the
// flush interval, and a failing step ending the run with every earlier row kept.
import { describe, expect, it } from 'vitest';
import { answerText, makeSplits, type Question } from '../../src/lm/tasks.js';
import { preset, type TrainConfig } from '../../src/rl/config.js';
import type { GrpoHyper, GrpoSample, GrpoStepMetrics } from '../../src/rl/grpo.js';
import type { Metrics } from '../../src/rl/rewards.js';
import {
  RunController,
  RunFailure,
  type RunStatus,
  runHeadless,
  stepFailure,
} from '../../src/rl/run-controller.js';
import { GcrlTrainer, type StepSamples } from '../../src/rl/trainer.js';
import { RecordingUpdater, type Script, ScriptedPolicy, scriptedCritique } from './trainer-script.js';

const TASK = { family: 'add', digits: 2, trainSize: 16, heldOutSize: 8, splitSeed: 5 } as const;
const splits = makeSplits({ ...TASK, seed: TASK.splitSeed });
const Q = new Map<string, Question>([...splits.train, ...splits.heldOut].map((q) => [q.text, q]));
const script: Script = (p, k, slot) => {
  const q = Q.get(p.question) as Question;
  if (p.kind === 'critique')
    return scriptedCritique(q, p.response ?? '', p.response === answerText(q), 'right');
  return (k + slot) % 2 ? `${answerText(q)}<eos>` : '1<eos>';
};

/** An update that fails (as a NaN loss does) from its `failAt`-th call on. */
class FailingUpdater extends RecordingUpdater {
  constructor(private readonly failAt: number) {
    super();
  }
  override async update(batch: readonly GrpoSample[], h: GrpoHyper): Promise<GrpoStepMetrics> {
    if (this.batches.length + 1 >= this.failAt) throw new Error('GRPO loss is NaN');
    return super.update(batch, h);
  }
}

function config(steps: number): TrainConfig {
  const c = preset('gcrl');
  c.task = { ...c.task, ...TASK };
  c.steps = steps;
  c.rollout = { ...c.rollout, questions: 2, n: 2 };
  c.critique = { ...c.critique, input: 'random', pairs: 2, n: 2, denoiseM: 0 };
  c.grpo = { ...c.grpo, miniBatch: 1000, epochs: 1 };
  c.eval = { every: 0, questions: 4 };
  return c;
}

async function trainer(steps: number, updater = new RecordingUpdater()): Promise<GcrlTrainer> {
  const policy = new ScriptedPolicy(script);
  const t = await GcrlTrainer.fromParts(config(steps), {
    policy,
    reference: new ScriptedPolicy(script),
    updater,
  });
  return t as unknown as GcrlTrainer; // the controller needs only the step loop, not a real Policy
}

function recorder() {
  const log = {
    rows: [] as Metrics[][],
    statuses: [] as [RunStatus, number, string?][],
    samples: [] as StepSamples[],
  };
  return {
    log,
    events: {
      rows: (r: Metrics[]) => log.rows.push(r),
      samples: (s: StepSamples) => log.samples.push(s),
      status: (s: RunStatus, step: number, e?: string) =>
        log.statuses.push(e === undefined ? [s, step] : [s, step, e]),
    },
  };
}

describe('RunController over a scripted trainer', () => {
  it('runs to the step count: running then done, one row per step in order, samples of the last step', async () => {
    const t = await trainer(3);
    const { log, events } = recorder();
    const c = new RunController(t, events, 0);
    await c.baseline();
    await c.start();
    expect(c.status).toBe('done');
    expect(c.step).toBe(3);
    expect(log.statuses).toEqual([
      ['running', 0],
      ['done', 3],
    ]);
    expect(log.rows.flat().map((r) => r.step)).toEqual([0, 1, 2, 3]);
    expect(log.rows[0]?.[0]?.['eval/gen/acc']).toBe(0.5); // baseline: one sample per question, every other question right
    expect(log.samples.at(-1)).toBe(t.lastSamples);
    await c.start(); // finished: nothing more
    expect(c.step).toBe(3);
    expect(log.statuses.at(-1)).toEqual(['done', 3]);
  });

  it('a deferred baseline: row 0 from the reference, right after the first evaluated step', async () => {
    const cfg = { ...config(4), eval: { every: 2, questions: 4 } };
    const policy = new ScriptedPolicy(script);
    const reference = new ScriptedPolicy(script);
    const t = await GcrlTrainer.fromParts(cfg, { policy, reference, updater: new RecordingUpdater() });
    const { log, events } = recorder();
    const c = new RunController(t as unknown as GcrlTrainer, events, 10_000); // only forced flushes leave at once
    c.deferBaseline();
    const evalCalls = (p: ScriptedPolicy) => p.calls.filter((x) => x.opts.temperature === 0).length;
    await c.stepOnce();
    expect(log.rows.flat().map((r) => r.step)).toEqual([1]); // no evaluation yet, no baseline
    expect(evalCalls(reference)).toBe(0);
    await c.stepOnce();
    // step 2 carries the first evaluation: it leaves, then the baseline, taken on the reference
    expect(log.rows.map((b) => b.map((r) => r.step))).toEqual([[1], [2], [0]]);
    const base = log.rows[2]?.[0] as Metrics;
    expect(base['eval/gen/acc']).toBe(0.5);
    expect(evalCalls(reference)).toBeGreaterThan(0);
    await c.start();
    expect(log.rows.flat().map((r) => r.step)).toEqual([1, 2, 0, 3, 4]); // the baseline comes once
  });

  it('a deferred baseline in a run shorter than its first evaluation comes at the end', async () => {
    const t = await trainer(2);
    const { log, events } = recorder();
    const c = new RunController(t, events, 0);
    c.deferBaseline();
    await c.start();
    expect(log.rows.flat().map((r) => r.step)).toEqual([1, 2, 0]);
    expect(c.status).toBe('done');
  });

  it('pauses after the step in progress, single-steps, resumes, and a stopped run stays stopped', async () => {
    const t = await trainer(5);
    const { log, events } = recorder();
    const c = new RunController(t, events, 0);
    const run = c.start();
    await c.pause();
    await run;
    expect([c.status, c.step]).toEqual(['paused', 1]);
    await c.stepOnce();
    expect([c.status, c.step]).toEqual(['paused', 2]);
    const again = c.start();
    await c.stop();
    await again;
    expect(c.status).toBe('stopped');
    expect(c.step).toBe(3);
    await c.start();
    await c.stepOnce();
    await c.pause();
    expect([c.status, c.step]).toEqual(['stopped', 3]);
    expect(log.statuses.map((s) => s[0])).toEqual(['running', 'paused', 'paused', 'running', 'stopped']);
    expect(log.rows.flat().map((r) => r.step)).toEqual([1, 2, 3]);
  });

  it('single steps to the end report done; stepping a finished run does nothing', async () => {
    const t = await trainer(2);
    const { log, events } = recorder();
    const c = new RunController(t, events, 0);
    await c.stepOnce();
    await c.stepOnce();
    await c.stepOnce();
    expect(log.statuses).toEqual([
      ['paused', 1],
      ['done', 2],
    ]);
    await c.stop();
    expect(c.status).toBe('done');
  });

  it('holds rows until the flush interval or a status change, then sends them together', async () => {
    const t = await trainer(4);
    const { log, events } = recorder();
    await new RunController(t, events, 1e9).start();
    // 'running' starts the interval; no step's row leaves before 'done' forces the flush
    expect(log.rows.map((b) => b.map((r) => r.step))).toEqual([[1, 2, 3, 4]]);
    expect(log.samples).toHaveLength(1);
  });

  it('ends a run at a failing step with its message, keeping every earlier row', async () => {
    const t = await trainer(5, new FailingUpdater(3));
    const { log, events } = recorder();
    const c = new RunController(t, events, 0);
    await c.start();
    expect(c.status).toBe('error');
    const last = log.statuses.at(-1);
    expect(last?.[0]).toBe('error');
    expect(last?.[2]).toBe(stepFailure(3, new Error('GRPO loss is NaN')));
    expect(last?.[2]).toBe('training stopped at step 3: GRPO loss is NaN');
    expect(log.rows.flat().map((r) => r.step)).toEqual([1, 2]);
    await c.start();
    await c.stop();
    expect(c.status).toBe('error');
  });
});

describe('runHeadless over a scripted trainer', () => {
  it('hands over the baseline row and one row per step, or none of the baseline when asked', async () => {
    const rows: number[] = [];
    await runHeadless(await trainer(3), (r) => rows.push(r.step as number));
    expect(rows).toEqual([0, 1, 2, 3]);
    const noBase: number[] = [];
    await runHeadless(await trainer(2), (r) => noBase.push(r.step as number), { baseline: false });
    expect(noBase).toEqual([1, 2]);
  });

  it('rejects with a RunFailure naming the failing step after delivering the rows before it', async () => {
    const rows: number[] = [];
    const err = await runHeadless(await trainer(4, new FailingUpdater(2)), (r) =>
      rows.push(r.step as number),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailure);
    expect((err as RunFailure).step).toBe(2);
    expect((err as RunFailure).message).toBe('training stopped at step 2: GRPO loss is NaN');
    expect(rows).toEqual([0, 1]);
  });
});
