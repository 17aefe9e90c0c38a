// The smallest GC-RL config that still takes real steps on the shipped `weak` checkpoint (shared by the
// run-controller and worker-snapshot tests).
import { preset, type TrainConfig } from '../../src/rl/config.js';

export function tinyConfig(steps: number): TrainConfig {
  const c = preset('gcrl');
  c.rollout = { ...c.rollout, questions: 2, n: 2 };
  c.critique = { ...c.critique, pairs: 2, n: 2 };
  c.task = { ...c.task, trainSize: 16 };
  c.eval = { every: 0, questions: 8 };
  c.steps = steps;
  return c;
}
