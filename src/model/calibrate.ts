// A short, real piece of the GC-RL step (a batched rollout and the reference log-probs over it) to
// time a backend with: `auto` compares WebGPU with WASM on this before trusting a hardware adapter.
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { Runtime } from '../engine/runtime.js';
import { policyFromCheckpoint } from './io.js';

export interface CalibrationOptions {
  /** Rows in the batch (the default step samples 16 questions × 5 responses = 80). */
  rows: number;
  /** Prompt and generated lengths in tokens. */
  promptLen: number;
  newTokens: number;
}

export const CALIBRATION_DEFAULTS: CalibrationOptions = { rows: 80, promptLen: 8, newTokens: 6 };

/**
 * Milliseconds of one rollout + log-prob pass of `ck`'s policy on `rt`, measured on the second
 * run (the first compiles the sessions). The policy is disposed afterwards.
 */
export async function calibrateStep(
  rt: Runtime,
  ck: Checkpoint,
  opts: Partial<CalibrationOptions> = {},
): Promise<number> {
  const o = { ...CALIBRATION_DEFAULTS, ...opts };
  const policy = policyFromCheckpoint(rt, ck);
  try {
    const v = policy.config.vocab;
    const prompts = Array.from({ length: o.rows }, (_, r) =>
      Array.from({ length: o.promptLen }, (_, i) => 1 + ((r * 7 + i * 3) % (v - 1))),
    );
    const once = async () => {
      // eos -1: never stops early, so every run does the same work
      const gens = await policy.generate(prompts, { eos: -1, maxNew: o.newTokens, seed: 1 });
      await policy.logProbs(
        gens.map((g, r) => ({ tokens: [...(prompts[r] as number[]), ...g.tokens], promptLen: o.promptLen })),
      );
    };
    await once();
    const t0 = performance.now();
    await once();
    return performance.now() - t0;
  } finally {
    policy.dispose();
  }
}
