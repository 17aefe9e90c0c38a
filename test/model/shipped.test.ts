// The shipped base checkpoints load, and `gcrl eval` reproduces the figures stored with them (and
// printed in their READMEs) exactly: eval is seeded, so any drift means code changed behaviour.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { evaluateCheckpoint } from '../../src/cli/evaluate.js';
import { Runtime } from '../../src/engine/runtime.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

// The targets for the two base checkpoints.
const TARGETS = {
  weak: { gen: [0.15, 0.35], critic: [0.55, 0.65] },
  medium: { gen: [0.4, 0.6], critic: [0.55, 1] },
} as const;

describe.each(Object.entries(TARGETS))('public/models/%s', (name, target) => {
  const dir = `public/models/${name}`;

  it('re-evaluates to its recorded figures, within the targets', async () => {
    const ck = await loadCheckpointDir(dir);
    const m = await evaluateCheckpoint(rt, { checkpoint: dir, samples: 4, seed: 0 });
    for (const [k, v] of Object.entries(m)) {
      if (Number.isFinite(v)) expect(ck.metrics?.[k], k).toBeCloseTo(v, 9);
    }
    expect(m['eval/gen/acc']).toBeGreaterThanOrEqual(target.gen[0]);
    expect(m['eval/gen/acc']).toBeLessThanOrEqual(target.gen[1]);
    expect(m['eval/critic/acc']).toBeGreaterThanOrEqual(target.critic[0]);
    expect(m['eval/critic/acc']).toBeLessThanOrEqual(target.critic[1]);
    const readme = readFileSync(`${dir}/README.md`, 'utf8');
    expect(readme).toContain(`${(100 * (m['eval/gen/acc'] as number)).toFixed(1)}%`);
    expect(readme).toContain(ck.provenance.command as string);
  });
});
