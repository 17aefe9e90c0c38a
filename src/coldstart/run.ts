// The cold start: a short supervised phase that teaches the three formats from generated
// examples and leaves a weak policy (SPEC §2), reproducible from its seed.
import type { Runtime } from '../engine/runtime.js';
import { type Family, makeSplits } from '../lm/tasks.js';
import { encode, VOCAB } from '../lm/tokenizer.js';
import { GPT_DEFAULTS, type GptConfig } from '../model/gpt.js';
import { Policy } from '../model/policy.js';
import { SftTrainer } from '../model/sft.js';
import { Rng } from '../util/rng.js';
import { type ColdStartMix, coldStartExample, MIX_DEFAULTS } from './data.js';

export interface TaskConfig {
  family: Family; // question family (default add)
  digits: number; // operand digits: the difficulty knob (default 2)
  trainSize: number; // finite RL training set (default 512)
  heldOutSize: number; // disjoint held-out set (default 256)
  splitSeed: number; // seeds the split (default 1234), shared by cold start, RL and eval
}

export const TASK_DEFAULTS: Readonly<TaskConfig> = Object.freeze({
  family: 'add',
  digits: 2,
  trainSize: 512,
  heldOutSize: 256,
  splitSeed: 1234,
});

export interface ColdStartOptions {
  model: Omit<GptConfig, 'vocab'>;
  task: TaskConfig;
  mix: ColdStartMix;
  steps: number; // supervised steps: the strength knob (weak 1200, medium 1400 with the defaults)
  scheduleSteps: number; // horizon of the cosine learning-rate schedule (0: = steps), so a weaker
  // checkpoint can be an earlier snapshot of the same run
  batch: number; // examples per step (default 64)
  lr: number; // peak learning rate (default 3e-3)
  seed: number; // seeds init and example sampling
}

export const COLDSTART_DEFAULTS: Readonly<ColdStartOptions> = Object.freeze({
  model: GPT_DEFAULTS,
  task: TASK_DEFAULTS,
  mix: MIX_DEFAULTS,
  steps: 1200,
  scheduleSteps: 1600,
  batch: 64,
  lr: 3e-3,
  seed: 1,
});

export interface ColdStartStep {
  step: number;
  loss: number;
  lr: number;
  ms: number;
}

/** Trains a fresh policy on cold-start examples; the caller owns (and disposes) it. */
export async function runColdStart(
  rt: Runtime,
  o: ColdStartOptions,
  onStep?: (s: ColdStartStep) => void,
): Promise<Policy> {
  const config: GptConfig = { ...o.model, vocab: VOCAB.size };
  const splits = makeSplits({ ...o.task, seed: o.task.splitSeed });
  const src = { family: o.task.family, digits: o.task.digits, exclude: splits.heldOutTexts, mix: o.mix };
  const policy = Policy.init(rt, config, o.seed);
  const trainer = new SftTrainer(policy, { totalSteps: o.scheduleSteps || o.steps, lr: o.lr });
  const rng = new Rng(o.seed ^ 0xc01d);
  try {
    for (let s = 1; s <= o.steps; s++) {
      const t0 = performance.now();
      const batch = Array.from({ length: o.batch }, () => {
        const ex = coldStartExample(src, rng);
        return { tokens: encode(ex.prompt + ex.target), promptLen: encode(ex.prompt).length, skip: ex.skip };
      });
      const r = await trainer.train(batch);
      onStep?.({ step: s, loss: r.loss, lr: r.lr, ms: performance.now() - t0 });
    }
  } catch (e) {
    policy.dispose();
    throw e;
  } finally {
    trainer.dispose();
  }
  return policy;
}
