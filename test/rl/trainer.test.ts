// The GC-RL step runs in every mode with finite, namespaced metrics; bad configs list every problem.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { Runtime } from '../../src/engine/runtime.js';
import { configErrors, MODES, preset, type TrainConfig } from '../../src/rl/config.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';

let rt: Runtime;
let base: Checkpoint;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
  base = await loadCheckpointDir('public/models/weak');
});

function tiny(mode: TrainConfig['mode']): TrainConfig {
  const c = preset(mode === 'coldstart-only' ? 'gcrl' : mode);
  c.mode = mode;
  c.rollout = { ...c.rollout, questions: 4, n: 3 };
  c.critique = { ...c.critique, pairs: 4, n: 3, staticResponses: 3 };
  c.task = { ...c.task, trainSize: 32 };
  c.grpo = { ...c.grpo, miniBatch: 16 };
  c.eval = { every: 2, questions: 16 };
  c.steps = 2; // critique-rl: step 1 is stage I, step 2 stage II (refinement reward)
  return c;
}

describe('GcrlTrainer', () => {
  for (const mode of MODES) {
    it(`runs two steps in mode ${mode}`, async () => {
      const t = await GcrlTrainer.create(rt, tiny(mode), base);
      try {
        await t.step();
        const m = await t.step();
        expect(m.step).toBe(2);
        for (const [k, v] of Object.entries(m)) {
          expect(k).toMatch(/^(step|[a-z]+\/[a-z0-9_/]+)$/);
          if (!/precision|recall|f1|alpha|beta|rate|ratio|acc|predicted/.test(k))
            expect(Number.isFinite(v), k).toBe(true);
        }
        expect(m['gen/acc']).toBeGreaterThanOrEqual(0);
        expect(m['time/rollout1']).toBeGreaterThan(0);
        expect(m['eval/gen/acc']).toBeGreaterThanOrEqual(0); // eval every 2 steps
        const critic = mode !== 'grl' && mode !== 'coldstart-only';
        expect('time/rollout2' in m).toBe(critic);
        if (mode !== 'coldstart-only') expect(m['actor/samples']).toBeGreaterThan(0);
        if (mode === 'critique-rl') expect('reward/denoise_mean' in m).toBe(true);
        expect(t.lastSamples.responses.length).toBeGreaterThan(0);
      } finally {
        t.dispose();
      }
    });
  }

  it('rejects an invalid config listing every problem', async () => {
    const c = tiny('gcrl');
    c.rollout.n = 1;
    c.grpo.advantage = 'ppo' as never;
    c.critique.input = 'all' as never;
    expect(configErrors(c)).toHaveLength(3);
    await expect(GcrlTrainer.create(rt, c, base)).rejects.toThrow(
      /rollout\.n[\s\S]*critique\.input[\s\S]*grpo\.advantage/,
    );
  });
});
