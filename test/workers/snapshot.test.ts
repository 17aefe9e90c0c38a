// "Save weights" holds the weights of the step it names: snapshots taken at random moments while a
// run trains (node-cpu, the worker's own code) match, tensor for tensor, a replay stopped at that step.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Checkpoint, unpackCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { Runtime } from '../../src/engine/runtime.js';
import { RunController } from '../../src/rl/run-controller.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';
import type { Snapshot } from '../../workers/run-protocol.js';
import { Exclusive, lockSteps, snapshot } from '../../workers/snapshot.js';
import { tinyConfig } from '../rl/tiny-config.js';

let rt: Runtime;
let base: Checkpoint;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
  base = await loadCheckpointDir('public/models/weak');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Exclusive', () => {
  it('runs sections one at a time, in call order, past a failing one', async () => {
    const lock = new Exclusive();
    const log: string[] = [];
    const section = (name: string, ms: number, fail = false) =>
      lock.run(async () => {
        log.push(`${name}+`);
        await sleep(ms);
        log.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section('a', 20), section('b', 1, true), section('c', 5)]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('snapshot', () => {
  it('names the step whose weights it holds, even when taken mid-step', async () => {
    const steps = 6;
    const trainer = await GcrlTrainer.create(rt, tinyConfig(steps), base);
    const lock = new Exclusive();
    lockSteps(trainer, lock);
    const controller = new RunController(trainer, { rows: () => {}, samples: () => {}, status: () => {} });
    const running = controller.start();
    const snaps: Snapshot[] = [];
    let stepping = 0; // snapshots asked for while a step was in flight
    while (controller.status === 'running' && trainer.stepCount < steps) {
      await sleep(5 + Math.random() * 40);
      // stepCount counts up when a step begins: a snapshot now would name a step not yet taken.
      if (controller.status === 'running') stepping++;
      snaps.push(await snapshot(trainer, lock, 'run', 'weak'));
    }
    await running;
    expect(stepping).toBeGreaterThan(0);
    trainer.dispose();

    // A replay of the same seed, stopped after each step: the weights each step ends with.
    const replay = await GcrlTrainer.create(rt, tinyConfig(steps), base);
    const after = new Map<number, Checkpoint['weights']>([[0, await replay.policy.weights()]]);
    for (let s = 1; s <= steps; s++) {
      await replay.step();
      after.set(s, await replay.policy.weights());
    }
    replay.dispose();

    expect(snaps.length).toBeGreaterThan(0);
    for (const snap of snaps) {
      const ck = unpackCheckpoint(snap.bytes);
      expect(snap.name).toBe(`run-step${snap.step}`);
      expect(ck.provenance.steps).toBe(snap.step);
      expect((ck.provenance.data as { name: string }).name).toBe(snap.name);
      const want = after.get(snap.step);
      expect(want, `step ${snap.step}`).toBeDefined();
      for (const [name, t] of ck.weights)
        expect(Array.from(t.data, Number), `${name} at step ${snap.step}`).toEqual(
          Array.from(want?.get(name)?.data ?? [], Number),
        );
    }
  }, 120_000);
});
