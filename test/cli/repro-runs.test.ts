// `gcrl repro`'s run plan merges arms with the very same config (and only those), and its worker
// threads train the same curves as training in this thread.
import { describe, expect, it } from 'vitest';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { EXPERIMENTS } from '../../src/cli/experiments.js';
import { armConfig, type Curve, planRuns, runAll } from '../../src/cli/repro-runs.js';
import { Runtime } from '../../src/engine/runtime.js';
import type { CritiqueItem } from '../../src/eval/evaluate.js';
import { answerText, makeSplits } from '../../src/lm/tasks.js';
import type { TrainConfig } from '../../src/rl/config.js';
import { tinyConfig } from '../rl/tiny-config.js';

describe('planRuns', () => {
  it('trains each distinct config once per seed and maps every arm × seed cell to its run', () => {
    const names = Object.keys(EXPERIMENTS);
    const plan = planRuns(names, 3, 40, 10);
    const cells = names.reduce((a, n) => a + (EXPERIMENTS[n]?.arms.length ?? 0), 0) * 3;
    expect(plan.runs.size).toBeLessThan(cells);
    for (const n of names) {
      EXPERIMENTS[n]?.arms.forEach((_, a) => {
        for (let s = 0; s < 3; s++) {
          const key = plan.slots[n]?.[a]?.[s] as string;
          // the cell's run is exactly the config that arm trains for that seed
          expect(plan.runs.get(key)).toEqual(armConfig(EXPERIMENTS[n] as never, a, s + 1, 40, 10));
        }
      });
    }
    // Merged cells hold equal configs; different arms or seeds never share a run.
    const keys = [...plan.runs.keys()];
    expect(new Set(keys).size).toBe(keys.length);
    const gcrl = plan.slots['joint-training']?.[2]; // GC-RL
    expect(plan.slots.denoising?.[0]).toEqual(gcrl); // r (Eq. 2): the same default GC-RL run
    expect(plan.slots['label-balance']?.[0]).toEqual(gcrl); // data filter (mixed grouping is the default)
    expect(plan.slots['label-balance']?.[2]).not.toEqual(gcrl); // random sampling: another run
    expect(new Set(gcrl).size).toBe(3); // one run per seed
  });

  it('gives each arm the experiment steps, seed and evaluation on every held-out question', () => {
    const e = EXPERIMENTS['static-vs-dynamic'] as (typeof EXPERIMENTS)[string];
    const c = armConfig(e, 2, 4, 77, 11);
    expect([c.seed, c.steps, c.eval.every, c.eval.questions]).toEqual([4, 77, 11, c.task.heldOutSize]);
    expect(c.critique.input).toBe('random');
  });
});

describe('runAll', () => {
  it('trains the same curves in worker threads as in this thread', async () => {
    const rt = await Runtime.create('node-cpu');
    const base = await loadCheckpointDir(tinyConfig(1).base);
    const cfgs: TrainConfig[] = [1, 2, 3].map((seed) => ({
      ...tinyConfig(2),
      seed,
      eval: { every: 1, questions: 4 },
    }));
    const plan = { runs: new Map(cfgs.map((c) => [JSON.stringify(c), c])), slots: {} };
    const q = makeSplits({ ...cfgs[0]?.task, seed: cfgs[0]?.task.splitSeed } as never).heldOut.slice(0, 2);
    const evalSet: CritiqueItem[] = q.flatMap((x) => [
      { question: x, response: answerText(x), correct: true },
      { question: x, response: `${answerText(x)}1`, correct: false },
    ]);
    const finished: number[] = [];
    const opts = (jobs: number) => ({
      jobs,
      base: async () => base,
      evalSet: async () => evalSet,
      onDone: (n: number) => finished.push(n),
    });
    const here = await runAll(rt, plan, opts(1));
    const there = await runAll(rt, plan, opts(2));
    expect(finished).toEqual([1, 2, 3, 1, 2, 3]);
    const strip = (c: Curve | undefined) =>
      (c ?? []).map((r) =>
        Object.fromEntries(
          Object.entries(r.m).filter(([k]) => !k.startsWith('time/') && !k.startsWith('perf/')),
        ),
      );
    for (const k of plan.runs.keys()) {
      expect(here.get(k)).toHaveLength(3); // before training, after step 1, after step 2
      expect(strip(there.get(k))).toEqual(strip(here.get(k)));
    }
  }, 120_000);

  it('fails with the error of the worker whose run failed', async () => {
    const rt = await Runtime.create('node-cpu');
    const bad = { ...tinyConfig(1), base: 'no/such/checkpoint' };
    const plan = {
      runs: new Map([
        ['a', bad],
        ['b', { ...bad, seed: 2 }],
      ]),
      slots: {},
    };
    const opts = {
      jobs: 2,
      base: async () => Promise.reject(new Error('unused')),
      evalSet: async () => [],
      onDone: () => {},
    };
    await expect(runAll(rt, plan, opts)).rejects.toThrow(/failed in a worker: .*no\/such\/checkpoint/s);
  }, 60_000);
});
