// The log-prob graph agrees with the forward pass, SFT overfits a batch, and bad weights/configs are rejected.
import { beforeAll, describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/engine/dtype.js';
import { Graph } from '../../src/engine/graph.js';
import { Runtime } from '../../src/engine/runtime.js';
import { bucket, sequenceBatch } from '../../src/model/batch.js';
import { type GptConfig, gptConfigErrors, gptForward, gptParamSpecs } from '../../src/model/gpt.js';
import { Policy } from '../../src/model/policy.js';
import { logSoftmax } from '../../src/model/sample.js';
import { SftTrainer } from '../../src/model/sft.js';
import { initParams, paramInputs } from '../../src/nn/params.js';

const cfg: GptConfig = { vocab: 24, ctx: 16, nLayer: 2, dModel: 16, nHead: 2, dMlp: 32 };
// Different lengths and prompt lengths, so rows are padded differently.
const seqs = [
  { tokens: [1, 3, 10, 11, 12, 4, 13, 14, 2], promptLen: 3 },
  { tokens: [1, 5, 20, 6, 2], promptLen: 2 },
  { tokens: [1, 9, 9, 9, 9, 9, 9, 7, 8, 2, 23], promptLen: 6 },
];

let rt: Runtime;
let weights: Map<string, HostTensor>;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
  // Larger-than-init matrices so the next-token distribution is far from uniform.
  weights = initParams(gptParamSpecs(cfg), 21);
  for (const [name, t] of weights) {
    if (t.shape.length === 2) weights.set(name, { ...t, data: (t.data as Float32Array).map((x) => x * 25) });
  }
});

describe('gptLogProbGraph via Policy.logProbs', () => {
  it('matches log-softmax and entropy of the forward logits', async () => {
    const len = bucket(Math.max(...seqs.map((s) => s.tokens.length - 1)), cfg.ctx);
    const b = seqs.length;
    const sb = sequenceBatch(seqs, len);
    const g = new Graph('fwd');
    const p = paramInputs(g, gptParamSpecs(cfg));
    const tokens = g.input('tokens', 'int32', [b, len]);
    const positions = g.input('positions', 'int32', [b, len]);
    const bias = g.input('bias', 'float32', [b, len, len]);
    g.output(gptForward(p, tokens, positions, bias, cfg), 'logits');
    const program = await rt.compile(g.toOnnx());
    const out = await program.runHost({
      ...Object.fromEntries(weights),
      tokens: { dtype: 'int32', shape: [b, len], data: sb.tokens },
      positions: { dtype: 'int32', shape: [b, len], data: sb.positions },
      bias: { dtype: 'float32', shape: [b, len, len], data: sb.bias },
    });
    const logits = out.logits?.data as Float32Array;
    expect(Array.from(out.logits?.shape ?? [])).toEqual([b, len, cfg.vocab]);

    const policy = Policy.create(rt, cfg, weights);
    const got = await policy.logProbs(seqs);
    let spread = 0;
    seqs.forEach((s, r) => {
      const n = s.tokens.length - s.promptLen;
      expect(got[r]?.logp.length).toBe(n);
      expect(got[r]?.entropy.length).toBe(n);
      for (let k = 0; k < n; k++) {
        const t = r * len + len - n + k; // input position whose target is tokens[promptLen + k]
        const lp = logSoftmax(logits.subarray(t * cfg.vocab, (t + 1) * cfg.vocab));
        const target = s.tokens[s.promptLen + k] as number;
        const ent = -lp.reduce((a, x) => a + Math.exp(x) * x, 0);
        expect(Math.abs((got[r]?.logp[k] as number) - (lp[target] as number))).toBeLessThan(1e-4);
        expect(Math.abs((got[r]?.entropy[k] as number) - ent)).toBeLessThan(1e-4);
        spread = Math.max(spread, Math.log(cfg.vocab) - ent);
      }
    });
    expect(spread).toBeGreaterThan(0.5); // the distributions are really non-uniform
    policy.dispose();
  });
});

describe('SftTrainer', () => {
  it('overfits one fixed tiny batch in 60 steps', async () => {
    const policy = Policy.init(rt, cfg, 3);
    const trainer = new SftTrainer(policy, { totalSteps: 60, lr: 1e-2, warmup: 5 });
    const batch = seqs.map((s) => ({ ...s, skip: 0 }));
    const losses: number[] = [];
    for (let i = 0; i < 60; i++) losses.push((await trainer.train(batch)).loss);
    expect(trainer.step).toBe(60);
    expect(losses[0]).toBeGreaterThan(2.5); // ≈ ln 24 at init
    expect(losses.at(-1) as number).toBeLessThan(0.2 * (losses[0] as number));
    trainer.dispose();
    policy.dispose();
  });
});

describe('Policy.create', () => {
  it('rejects weights missing a parameter, naming it', () => {
    const w = new Map(weights);
    w.delete('h1.mlp.w1');
    expect(() => Policy.create(rt, cfg, w)).toThrow(/'h1\.mlp\.w1'/);
  });

  it('rejects a parameter of the wrong shape, naming it and both shapes', () => {
    const w = new Map(weights);
    w.set('wpe', { dtype: 'float32', shape: [15, 16], data: new Float32Array(15 * 16) });
    expect(() => Policy.create(rt, cfg, w)).toThrow(/'wpe'.*\[15,16\].*\[16,16\]/);
  });

  it('rejects an invalid config before looking at the weights', () => {
    expect(() => Policy.create(rt, { ...cfg, nHead: 3 }, weights)).toThrow(/invalid GPT config.*nHead/);
  });
});

describe('gptConfigErrors', () => {
  it('is empty for a valid config', () => {
    expect(gptConfigErrors(cfg)).toEqual([]);
  });

  it('lists every problem at once', () => {
    const errs = gptConfigErrors({ ...cfg, nLayer: 0, dModel: 10, nHead: 4, vocab: 2.5 });
    expect(errs).toHaveLength(3);
    expect(errs.some((e) => e.startsWith('nLayer must be an integer in [1, 48] (got 0)'))).toBe(true);
    expect(errs.some((e) => e.startsWith('vocab must be an integer in [1, 4096] (got 2.5)'))).toBe(true);
    expect(errs.some((e) => /dModel \(10\) must be divisible by nHead \(4\)/.test(e))).toBe(true);
  });
});
