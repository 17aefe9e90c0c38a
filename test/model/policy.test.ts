// The policy's KV-cached batched decoding agrees with full recomputation; sampling is seeded.
import { beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime.js';
import { encode, VOCAB } from '../../src/lm/tokenizer.js';
import { GPT_DEFAULTS, type GptConfig } from '../../src/model/gpt.js';
import { Policy, sharedRows } from '../../src/model/policy.js';

const cfg: GptConfig = {
  ...GPT_DEFAULTS,
  vocab: VOCAB.size,
  ctx: 24,
  nLayer: 2,
  dModel: 32,
  nHead: 4,
  dMlp: 64,
};
// Prompts of different lengths, so rows are left-padded differently.
const prompts = ['<bos><q>37+85=<r>', '<bos><q>5*7=<r>', '<bos><q>123-45=<r>2<c>'].map((t) => encode(t));

let rt: Runtime;
let policy: Policy;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
  // Random init with larger weights so the distribution is far from uniform.
  policy = Policy.init(rt, cfg, 4);
  const w = await policy.weights();
  for (const [name, t] of w) {
    if (t.shape.length === 2)
      policy.state.set(name, { ...t, data: (t.data as Float32Array).map((x) => x * 25) });
  }
});

/** Generates with host-written caches, then with graph-written ones: the same tokens and log-probs. Returns the host rollouts. */
async function expectSameAsGraphWrites(
  ps: Int32Array[],
  opts: { eos: number; maxNew: number; seed: number },
) {
  const host = await policy.generate(ps, opts);
  policy.cacheWrites = 'graph';
  try {
    const graph = await policy.generate(ps, opts);
    expect(graph.map((g) => g.tokens)).toEqual(host.map((g) => g.tokens));
    graph.forEach((g, r) => {
      g.logps.forEach((lp, i) => {
        expect(Math.abs(lp - (host[r]?.logps[i] as number))).toBeLessThan(1e-5);
      });
    });
  } finally {
    policy.cacheWrites = 'host';
  }
  return host;
}

describe('Policy.generate', () => {
  it('matches full recomputation: log-prob of every sampled token', async () => {
    const gens = await policy.generate(prompts, { eos: VOCAB.EOS, maxNew: 8, seed: 1 });
    const seqs = gens.map((g, i) => ({
      tokens: [...(prompts[i] as Int32Array), ...g.tokens],
      promptLen: (prompts[i] as Int32Array).length,
    }));
    const full = await policy.logProbs(seqs);
    let checked = 0;
    gens.forEach((g, i) => {
      expect(full[i]?.logp.length).toBe(g.tokens.length);
      g.logps.forEach((lp, t) => {
        expect(Math.abs(lp - (full[i]?.logp[t] as number))).toBeLessThan(1e-4);
        checked++;
      });
    });
    expect(checked).toBeGreaterThan(10);
  });

  it('greedy decoding agrees with full recomputation', async () => {
    const gens = await policy.generate(prompts, { eos: VOCAB.EOS, maxNew: 6, temperature: 0 });
    const seqs = gens.map((g, i) => ({
      tokens: [...(prompts[i] as Int32Array), ...g.tokens],
      promptLen: (prompts[i] as Int32Array).length,
    }));
    const full = await policy.logProbs(seqs);
    // The most likely token has probability at least 1/V.
    full.forEach((f, i) => {
      f.logp.forEach((lp, t) => {
        expect(lp).toBeGreaterThanOrEqual(Math.log(1 / cfg.vocab) - 1e-5);
        expect(Math.abs(lp - (gens[i]?.logps[t] as number))).toBeLessThan(1e-4);
      });
    });
  });

  it('gives the same rollouts whether the host or the graph writes the KV slots', async () => {
    expect(policy.cacheWrites).toBe('host'); // node-cpu keeps caches in host memory
    await expectSameAsGraphWrites(prompts, { eos: VOCAB.EOS, maxNew: 8, seed: 11 }); // graph: what web-webgpu runs
  });

  it('rows that share a prompt share its prefill, with the same rollouts as computing each row', async () => {
    // A GRPO group: 6 completions of each prompt, interleaved, so 18 rows hold 3 distinct prompts.
    const group = Array.from({ length: 18 }, (_, r) => prompts[r % 3] as Int32Array);
    expect(sharedRows(group)?.firsts).toEqual([0, 1, 2, 0, 0, 0, 0, 0]); // padded to a multiple of 8
    // the graph-written caches prefill every row on its own
    const shared = await expectSameAsGraphWrites(group, { eos: VOCAB.EOS, maxNew: 8, seed: 5 });
    expect(new Set(shared.map((g) => g.tokens.join())).size).toBeGreaterThan(3); // rows still sample apart
  });

  it('shares a prefill only when that shrinks the batch', () => {
    const distinct = Array.from({ length: 16 }, (_, r) => [1, r]);
    expect(sharedRows(distinct)).toBeNull();
    expect(sharedRows([...distinct, ...distinct])?.firsts).toHaveLength(16);
    const s = sharedRows([[1, 2], [3], [1, 2], [1, 2]]);
    expect(s).toBeNull(); // 2 distinct prompts pad to 8 rows, more than the batch of 4
    const many = Array.from({ length: 40 }, (_, r) => [r % 5, 9]);
    const m = sharedRows(many);
    expect(m?.firsts).toEqual([0, 1, 2, 3, 4, 0, 0, 0]);
    expect(Array.from(m?.src ?? []).slice(0, 7)).toEqual([0, 1, 2, 3, 4, 0, 1]);
  });

  it('reuses its KV cache buffers between calls, and nothing of an earlier call leaks into the next', async () => {
    const opts = { eos: VOCAB.EOS, maxNew: 8, seed: 21 };
    const fresh = Policy.create(rt, cfg, await policy.weights()); // no buffers yet
    const clean = await fresh.generate(prompts, opts);
    // Another batch of the same shape first: its caches go back to the pool, written all over.
    const other = ['<bos><q>99+99=<r>', '<bos><q>8*8=<r>', '<bos><q>765-43=<r>1<c>'].map((t) => encode(t));
    await policy.generate(other, { ...opts, seed: 3 });
    const reused = await policy.generate(prompts, opts);
    expect(reused).toEqual(clean);
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const a = await policy.generate(prompts, { eos: VOCAB.EOS, maxNew: 8, seed: 7 });
    const b = await policy.generate(prompts, { eos: VOCAB.EOS, maxNew: 8, seed: 7 });
    const c = await policy.generate(prompts, { eos: VOCAB.EOS, maxNew: 8, seed: 8 });
    expect(b.map((g) => g.tokens)).toEqual(a.map((g) => g.tokens));
    expect(c.map((g) => g.tokens)).not.toEqual(a.map((g) => g.tokens));
  });

  it('stops rows at EOS and respects maxNew', async () => {
    const gens = await policy.generate(prompts, { eos: VOCAB.EOS, maxNew: 5, seed: 3 });
    for (const g of gens) {
      expect(g.tokens.length).toBeLessThanOrEqual(5);
      if (g.finished) expect(g.tokens.at(-1)).toBe(VOCAB.EOS);
      expect(g.tokens.slice(0, -1)).not.toContain(VOCAB.EOS);
    }
  });

  it('a row gives the same tokens alone as in a padded batch', async () => {
    const batch = await policy.generate(prompts, { eos: VOCAB.EOS, maxNew: 6, temperature: 0 });
    const alone = await policy.generate([prompts[1] as Int32Array], {
      eos: VOCAB.EOS,
      maxNew: 6,
      temperature: 0,
    });
    expect(alone[0]?.tokens).toEqual(batch[1]?.tokens);
    alone[0]?.logps.forEach((lp, t) => {
      expect(Math.abs(lp - (batch[1]?.logps[t] as number))).toBeLessThan(1e-4);
    });
  });
});
