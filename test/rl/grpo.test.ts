// The fused GRPO update graph computes the paper's loss (checked against a plain-JS version for
// every KL estimator and aggregation) and moves log-probs in the direction of the advantages.
import { beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime.js';
import { encode, VOCAB } from '../../src/lm/tokenizer.js';
import { GPT_DEFAULTS, type GptConfig } from '../../src/model/gpt.js';
import { Policy } from '../../src/model/policy.js';
import { GRPO_DEFAULTS, type GrpoSample, GrpoUpdater } from '../../src/rl/grpo.js';
import { AGGREGATIONS, type Aggregation, KL_ESTIMATORS, type KlEstimator } from '../../src/rl/grpo-graph.js';
import { Rng } from '../../src/util/rng.js';

const cfg: GptConfig = {
  ...GPT_DEFAULTS,
  vocab: VOCAB.size,
  ctx: 24,
  nLayer: 1,
  dModel: 16,
  nHead: 2,
  dMlp: 32,
};
const seqs = [
  { prompt: '<bos><q>12+34=<r>', completion: '640<eos>' },
  { prompt: '<bos><q>5+5=<r>', completion: '01<eos>' },
  { prompt: '<bos><q>99+99=<r>221<c>', completion: '891---<bad><eos>' },
].map((s) => ({ tokens: encode(s.prompt + s.completion), promptLen: encode(s.prompt).length }));
const advantages = [1, -0.5, 2];

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

/** Samples with behaviour/reference log-probs perturbed away from the current ones. */
async function samples(policy: Policy, seed: number): Promise<{ batch: GrpoSample[]; logps: number[][] }> {
  const cur = await policy.logProbs(seqs);
  const rng = new Rng(seed);
  const batch = seqs.map((s, i) => ({
    ...s,
    advantage: advantages[i] as number,
    oldLogps: (cur[i]?.logp ?? []).map((l) => l + 0.4 * rng.normal()),
    refLogps: (cur[i]?.logp ?? []).map((l) => l + 0.3 * rng.normal()),
  }));
  return { batch, logps: cur.map((c) => c.logp) };
}

/** The paper's per-token loss in plain JS, aggregated. */
function reference(
  batch: GrpoSample[],
  logps: number[][],
  kl: KlEstimator,
  agg: Aggregation,
  coef: number,
  clip: { clipLow: number; clipHigh: number } = GRPO_DEFAULTS,
): number {
  const klOf = {
    k1: (d: number) => -d,
    k2: (d: number) => 0.5 * d * d,
    k3: (d: number) => Math.exp(d) - d - 1,
  };
  const per = batch.map((s, i) =>
    (logps[i] ?? []).map((lp, t) => {
      const r = Math.exp(lp - (s.oldLogps[t] as number));
      const rc = Math.min(Math.max(r, 1 - clip.clipLow), 1 + clip.clipHigh);
      const pg = -Math.min(r * s.advantage, rc * s.advantage);
      return pg + coef * klOf[kl]((s.refLogps[t] as number) - lp); // d = log(π_ref/π)
    }),
  );
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (agg === 'token-mean') return sum(per.flat()) / per.flat().length;
  if (agg === 'seq-mean-token-mean') return sum(per.map((p) => sum(p) / p.length)) / per.length;
  return sum(per.map(sum)) / per.length;
}

/** Share of completion tokens whose clipped surrogate is the smaller one (the graph's clip_frac). */
function clipFraction(
  batch: GrpoSample[],
  logps: number[][],
  clip: { clipLow: number; clipHigh: number },
): number {
  const hits = batch.flatMap((s, i) =>
    (logps[i] ?? []).map((lp, t) => {
      const r = Math.exp(lp - (s.oldLogps[t] as number));
      const rc = Math.min(Math.max(r, 1 - clip.clipLow), 1 + clip.clipHigh);
      return rc * s.advantage < r * s.advantage ? 1 : 0;
    }),
  );
  return hits.reduce((a: number, b) => a + b, 0) / hits.length;
}

describe('grpoUpdateGraph', () => {
  for (const kl of Object.keys(KL_ESTIMATORS) as KlEstimator[]) {
    for (const agg of Object.keys(AGGREGATIONS) as Aggregation[]) {
      it(`loss matches the reference (${kl}, ${agg})`, async () => {
        const policy = Policy.init(rt, cfg, 2);
        const up = new GrpoUpdater(policy);
        const { batch, logps } = await samples(policy, 5);
        const h = { ...GRPO_DEFAULTS, kl, aggregation: agg, klCoef: 0.5, lr: 0 };
        const m = await up.update(batch, h);
        expect(m['actor/loss']).toBeCloseTo(reference(batch, logps, kl, agg, 0.5), 4);
        expect(m['actor/clip_frac']).toBeGreaterThan(0); // the perturbations push ratios out of [0.8, 1.2]
        up.dispose();
        policy.dispose();
      });
    }
  }

  it('keeps the ratio in [1 − clipLow, 1 + clipHigh]: asymmetric clips, not swapped', async () => {
    const policy = Policy.init(rt, cfg, 2);
    const up = new GrpoUpdater(policy);
    const { batch, logps } = await samples(policy, 5);
    const clip = { clipLow: 0.05, clipHigh: 0.4 };
    const swapped = { clipLow: clip.clipHigh, clipHigh: clip.clipLow };
    const want = reference(batch, logps, 'k3', 'token-mean', 0, clip);
    // this case tells the two orders apart, in the loss and in which tokens are clipped
    expect(Math.abs(want - reference(batch, logps, 'k3', 'token-mean', 0, swapped))).toBeGreaterThan(0.01);
    expect(clipFraction(batch, logps, clip)).not.toBeCloseTo(clipFraction(batch, logps, swapped), 3);
    const m = await up.update(batch, { ...GRPO_DEFAULTS, ...clip, klCoef: 0, lr: 0 });
    expect(m['actor/loss']).toBeCloseTo(want, 4);
    expect(m['actor/pg_loss']).toBeCloseTo(want, 4);
    expect(m['actor/clip_frac']).toBeCloseTo(clipFraction(batch, logps, clip), 5);
    up.dispose();
    policy.dispose();
  });

  it('reports the policy entropy and a gradient norm, and refuses samples whose log-probs do not match', async () => {
    const policy = Policy.init(rt, cfg, 6);
    const up = new GrpoUpdater(policy);
    const cur = await policy.logProbs(seqs);
    const batch = seqs.map((s, i) => ({
      ...s,
      advantage: advantages[i] as number,
      oldLogps: cur[i]?.logp ?? [],
      refLogps: cur[i]?.logp ?? [],
    }));
    const m = await up.update(batch, { ...GRPO_DEFAULTS, lr: 0 });
    const ent = cur.flatMap((c) => c.entropy);
    expect(m['actor/entropy']).toBeCloseTo(ent.reduce((a, b) => a + b, 0) / ent.length, 4);
    expect(m['actor/grad_norm']).toBeGreaterThan(0);
    const zero = await up.update(
      batch.map((s) => ({ ...s, advantage: 0 })),
      { ...GRPO_DEFAULTS, lr: 0, klCoef: 0 },
    );
    expect(zero['actor/grad_norm']).toBeCloseTo(0, 6); // no advantage, no KL: nothing to follow
    const bad = [{ ...(batch[0] as GrpoSample), oldLogps: [0] }];
    await expect(up.update(bad)).rejects.toThrow(
      /sample 0: 4 completion tokens but 1 old \/ 4 ref log-probs/,
    );
    up.dispose();
    policy.dispose();
  });

  it('reports no clipping and zero KL when behaviour, reference and policy agree', async () => {
    const policy = Policy.init(rt, cfg, 3);
    const up = new GrpoUpdater(policy);
    const cur = await policy.logProbs(seqs);
    const batch = seqs.map((s, i) => ({
      ...s,
      advantage: advantages[i] as number,
      oldLogps: cur[i]?.logp ?? [],
      refLogps: cur[i]?.logp ?? [],
    }));
    const m = await up.update(batch, { ...GRPO_DEFAULTS, lr: 0 });
    expect(m['actor/clip_frac']).toBe(0);
    expect(Math.abs(m['actor/kl'])).toBeLessThan(1e-6);
    expect(m['actor/ratio_mean']).toBeCloseTo(1, 5);
    const n = batch.map((s) => s.oldLogps.length);
    const expected = -(
      advantages.reduce((a, adv, i) => a + adv * (n[i] as number), 0) / n.reduce((a, b) => a + b, 0)
    );
    expect(m['actor/pg_loss']).toBeCloseTo(expected, 5);
  });

  it('raises the log-probs of positive-advantage sequences and lowers negative ones', async () => {
    const policy = Policy.init(rt, cfg, 4);
    const up = new GrpoUpdater(policy);
    const before = await policy.logProbs(seqs);
    for (let k = 0; k < 5; k++) {
      const cur = await policy.logProbs(seqs);
      const batch = seqs.map((s, i) => ({
        ...s,
        advantage: advantages[i] as number,
        oldLogps: cur[i]?.logp ?? [],
        refLogps: before[i]?.logp ?? [],
      }));
      await up.update(batch, { ...GRPO_DEFAULTS, lr: 1e-2, klCoef: 0 });
    }
    const after = await policy.logProbs(seqs);
    const total = (x: { logp: number[] } | undefined) => (x?.logp ?? []).reduce((a, b) => a + b, 0);
    expect(total(after[0])).toBeGreaterThan(total(before[0]));
    expect(total(after[1])).toBeLessThan(total(before[1]));
    expect(total(after[2])).toBeGreaterThan(total(before[2]));
  });
});
