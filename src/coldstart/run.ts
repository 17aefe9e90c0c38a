// The cold start: a short supervised phase that teaches the three formats from generated
// examples and leaves a weak policy (SPEC §2), reproducible from its seed.
import type { Runtime } from '../engine/runtime.js';
import { contextNeed, type Format } from '../lm/formats.js';
import { FAMILIES, type Family, MAX_DIGITS, makeSplits, questionAt, questionSpaceSize } from '../lm/tasks.js';
import { encode, VOCAB } from '../lm/tokenizer.js';
import { GPT_BOUNDS, GPT_DEFAULTS, type GptConfig, gptConfigErrors } from '../model/gpt.js';
import { Policy } from '../model/policy.js';
import { SftTrainer } from '../model/sft.js';
import { Rng } from '../util/rng.js';
import { int, num, oneOf, type Schema, schemaErrors } from '../util/schema.js';
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

export const SEED_MAX = 2 ** 31 - 1;
/** Largest task set (training or held-out): far more questions than a run at these sizes can use. */
export const MAX_SET_SIZE = 65_536;

/** The task's settings under `task.` (shared by the training and cold-start schemas). */
export const TASK_SETTINGS: Schema = Object.freeze({
  'task.family': oneOf(FAMILIES),
  'task.digits': int(1, MAX_DIGITS),
  'task.trainSize': int(1, MAX_SET_SIZE),
  'task.heldOutSize': int(1, MAX_SET_SIZE),
  'task.splitSeed': int(0, SEED_MAX),
});

/** Tokens each format needs at this difficulty (ideal prompt + the format's budget; every question of one is as long). */
export function formatLengths(family: Family, digits: number): Record<Format, number> {
  const q = questionAt(family, digits, 0);
  return {
    generation: contextNeed('generation', q),
    critique: contextNeed('critique', q),
    refinement: contextNeed('refinement', q),
  };
}

/**
 * Cross-checks of a valid task: the question space holds both sets, and (given the model's context)
 * the longest example of every format used fits in it.
 */
export function taskErrors(t: TaskConfig, ctx?: number, refinement = true): string[] {
  const e: string[] = [];
  const size = questionSpaceSize(t.family, t.digits);
  if (t.trainSize + t.heldOutSize > size) {
    e.push(
      `task.trainSize + task.heldOutSize (${t.trainSize + t.heldOutSize}) exceeds the ${size} questions of ${t.family} with ${t.digits} digit(s)`,
    );
  }
  if (ctx !== undefined) {
    const lens = formatLengths(t.family, t.digits);
    const need = refinement ? lens.refinement : lens.critique;
    if (need > ctx) {
      e.push(
        `task.digits ${t.digits} needs ${need} tokens for a ${refinement ? 'refinement' : 'critique'} of ${t.family}, more than the model's context of ${ctx}`,
      );
    }
  }
  return e;
}

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

/** The cold start's settings, bounds stated once (model dimensions from GPT_BOUNDS). */
export const COLDSTART_SETTINGS: Schema = Object.freeze({
  'model.ctx': int(1, GPT_BOUNDS.ctx),
  'model.nLayer': int(1, GPT_BOUNDS.nLayer),
  'model.dModel': int(1, GPT_BOUNDS.dModel),
  'model.nHead': int(1, GPT_BOUNDS.nHead),
  'model.dMlp': int(1, GPT_BOUNDS.dMlp),
  ...TASK_SETTINGS,
  'mix.generation': num(0, 1),
  'mix.critique': num(0, 1),
  'mix.refinement': num(0, 1),
  steps: int(0, 100_000),
  scheduleSteps: int(0, 1_000_000),
  batch: int(1, 1024),
  lr: num(0, 1),
  seed: int(0, SEED_MAX),
});

/** Every problem with cold-start options (empty when valid): types and bounds, then cross-checks. */
export function coldStartErrors(o: unknown): string[] {
  const e = schemaErrors(COLDSTART_SETTINGS, o, 'cold-start options');
  if (e.length) return e;
  const c = o as ColdStartOptions;
  e.push(...gptConfigErrors({ ...c.model, vocab: VOCAB.size }).map((x) => `model: ${x}`));
  const { generation, critique, refinement } = c.mix;
  if (generation + critique + refinement <= 0) e.push('mix: at least one share must be positive');
  if (c.scheduleSteps > 0 && c.scheduleSteps < c.steps)
    e.push(`scheduleSteps (${c.scheduleSteps}) must be 0 or ≥ steps (${c.steps})`);
  e.push(...taskErrors(c.task, c.model.ctx, refinement > 0));
  return e;
}

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
  const errs = coldStartErrors(o);
  if (errs.length) throw new Error(`invalid cold-start options:\n  ${errs.join('\n  ')}`);
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
