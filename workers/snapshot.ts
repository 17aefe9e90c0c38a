// Weights snapshots that name the step they hold: training steps and snapshots take turns on one
// lock, so a snapshot never reads weights mid-step (a step increments its counter first and
// updates the weights last, over many awaits) and its step number is read with the weights.
import { packCheckpoint } from '../src/checkpoint/checkpoint.js';
import { policyCheckpoint } from '../src/model/io.js';
import type { GcrlTrainer } from '../src/rl/trainer.js';
import { checkpointName, type Snapshot } from './run-protocol.js';

/** Sections that run one at a time, in call order; a failing section does not block the next. */
export class Exclusive {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Routes every `trainer.step()` (whoever calls it: the RunController) through `lock`. */
export function lockSteps(trainer: GcrlTrainer, lock: Exclusive): void {
  const step = trainer.step.bind(trainer);
  trainer.step = () => lock.run(step);
}

/**
 * The trainer's weights between steps as a checkpoint bundle named `<label>-step<N>`, where N is
 * the number of steps those weights have taken (provenance.steps says the same).
 */
export function snapshot(
  trainer: GcrlTrainer,
  lock: Exclusive,
  label: string,
  parent: string,
): Promise<Snapshot> {
  return lock.run(async () => {
    const step = trainer.stepCount;
    const name = checkpointName(label, step);
    const ck = await policyCheckpoint(trainer.policy, {
      seed: trainer.cfg.seed,
      steps: step,
      data: { task: trainer.cfg.task, mode: trainer.cfg.mode, name },
      createdAt: new Date().toISOString(),
      parent,
    });
    return { name, step, bytes: packCheckpoint(ck) };
  });
}
