// The training runs behind `gcrl repro`: every (experiment, arm, seed) resolved to a config, arms
// with the very same config run once (their curves shared), and the runs spread over worker threads.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../checkpoint/node-fs.js';
import type { Runtime } from '../engine/runtime.js';
import type { CritiqueItem } from '../eval/evaluate.js';
import { preset, type TrainConfig } from '../rl/config.js';
import { runHeadless } from '../rl/run-controller.js';
import { GcrlTrainer } from '../rl/trainer.js';
import { applySets } from './args.js';
import { EXPERIMENTS, type Experiment } from './experiments.js';

/** Held-out rows of one run: row 0 is the evaluation before training, then one every evalEvery steps. */
export type Curve = { step: number; m: Record<string, number> }[];

export interface RunPlan {
  /** The distinct runs, by key (the resolved config as JSON, seed included). */
  runs: Map<string, TrainConfig>;
  /** experiment -> arm index -> seed − 1 -> run key. */
  slots: Record<string, string[][]>;
}

/** One arm's config for a seed, as `gcrl repro` trains it (held-out generation on every question). */
export function armConfig(
  e: Experiment,
  arm: number,
  seed: number,
  steps: number,
  evalEvery: number,
): TrainConfig {
  const a = e.arms[arm] as Experiment['arms'][number];
  const cfg = applySets(preset(a.preset), a.sets);
  Object.assign(cfg, { seed, steps });
  cfg.eval = { every: evalEvery, questions: cfg.task.heldOutSize };
  return cfg;
}

/**
 * Every run the named experiments need, with identical configs merged: the default GC-RL arm
 * appears in four experiments (label balance's data filter, shaping's symmetric reward, joint
 * training's GC-RL, denoising's Eq. 2) and is trained once per seed — same config, same seed, the
 * same run, since a run is deterministic.
 */
export function planRuns(names: readonly string[], seeds: number, steps: number, evalEvery: number): RunPlan {
  const runs = new Map<string, TrainConfig>();
  const slots: Record<string, string[][]> = {};
  for (const name of names) {
    const e = EXPERIMENTS[name] as Experiment;
    slots[name] = e.arms.map((_, a) =>
      Array.from({ length: seeds }, (_, s) => {
        const cfg = armConfig(e, a, s + 1, steps, evalEvery);
        const key = JSON.stringify(cfg);
        if (!runs.has(key)) runs.set(key, cfg);
        return key;
      }),
    );
  }
  return { runs, slots };
}

/** Trains one run to its end and returns its held-out rows (the page's step loop, headless). */
export async function trainCurve(
  rt: Runtime,
  cfg: TrainConfig,
  base: Checkpoint,
  evalSet: CritiqueItem[],
): Promise<Curve> {
  const t = await GcrlTrainer.create(rt, cfg, base, { evalSet });
  const curve: Curve = [];
  try {
    await runHeadless(t, (m) => {
      if (m.step === 0 || 'eval/gen/acc' in m) curve.push({ step: m.step as number, m });
    });
  } finally {
    t.dispose();
  }
  return curve;
}

/** What the parent sends a worker for one run, and what comes back. */
export interface JobRequest {
  id: number;
  cfg: TrainConfig;
  evalSet: CritiqueItem[];
}
export type JobReply = { id: number; curve: Curve } | { id: number; error: string };

/** Loads each base checkpoint folder once (the report's thread and each worker thread keep one). */
export function checkpointLoader(): (dir: string) => Promise<Checkpoint> {
  const loaded = new Map<string, Promise<Checkpoint>>();
  return (dir) => {
    if (!loaded.has(dir)) loaded.set(dir, loadCheckpointDir(dir));
    return loaded.get(dir) as Promise<Checkpoint>;
  };
}

/** Default `--jobs`: one run per core (each with one ORT thread), at most 8. */
export const defaultJobs = (): number => Math.max(1, Math.min(8, availableParallelism()));

export interface RunAllOptions {
  jobs: number; // 1: in this thread on `rt`; N > 1: N worker threads, one ORT thread each
  evalSet: (cfg: TrainConfig) => Promise<CritiqueItem[]>;
  base: (dir: string) => Promise<Checkpoint>;
  onDone: (finished: number, total: number) => void;
}

/** Trains every run of the plan; resolves to run key -> curve. A failed run fails the whole call. */
export async function runAll(rt: Runtime, plan: RunPlan, o: RunAllOptions): Promise<Map<string, Curve>> {
  const keys = [...plan.runs.keys()];
  const out = new Map<string, Curve>();
  const finish = (key: string, c: Curve) => {
    out.set(key, c);
    o.onDone(out.size, keys.length);
  };
  const jobs = Math.max(1, Math.min(o.jobs, keys.length));
  if (jobs === 1) {
    for (const k of keys) {
      const cfg = plan.runs.get(k) as TrainConfig;
      finish(k, await trainCurve(rt, cfg, await o.base(cfg.base), await o.evalSet(cfg)));
    }
    return out;
  }
  const workers = Array.from(
    { length: jobs },
    () => new Worker(new URL('../../bin/repro-worker.mjs', import.meta.url)),
  );
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (w) => {
        for (let i = next++; i < keys.length; i = next++) {
          const key = keys[i] as string;
          const cfg = plan.runs.get(key) as TrainConfig;
          finish(key, await ask(w, { id: i, cfg, evalSet: await o.evalSet(cfg) }));
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

/** One request to a worker thread, answered by its reply (or its crash). */
function ask(w: Worker, req: JobRequest): Promise<Curve> {
  return new Promise((resolve, reject) => {
    const done = () => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const onMessage = (r: JobReply) => {
      if (r.id !== req.id) return;
      done();
      if ('error' in r)
        reject(
          new Error(`a run (mode ${req.cfg.mode}, seed ${req.cfg.seed}) failed in a worker: ${r.error}`),
        );
      else resolve(r.curve);
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`a repro worker exited (code ${code}) during a run`));
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage(req);
  });
}
