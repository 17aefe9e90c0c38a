// The one checkpoint-vs-model check (CLI, trainer, workers, the page's import): every hostile
// checkpoint of issue 10 is refused with a message naming what is wrong, and the shipped ones pass.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Checkpoint, CheckpointError, packCheckpoint } from '../../src/checkpoint/checkpoint.js';
import {
  checkModelCheckpoint,
  modelCheckpointErrors,
  projectVocab,
  unpackModelCheckpoint,
} from '../../src/checkpoint/model-check.js';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { type HostTensor, hostTensor } from '../../src/engine/dtype.js';
import { GPT_BOUNDS, gptConfigErrors, gptParameterCount, gptParamSpecs } from '../../src/model/gpt.js';
import { parameterCount } from '../../src/model/policy.js';

let weak: Checkpoint;
beforeAll(async () => {
  weak = await loadCheckpointDir('public/models/weak');
});

/** A copy of the weak checkpoint with `edit` applied to its (copied) weights, model and vocab. */
const variant = (edit: (ck: Checkpoint) => void): Checkpoint => {
  const ck: Checkpoint = {
    ...weak,
    model: { ...weak.model },
    tokenizer: { vocab: [...weak.tokenizer.vocab] },
    weights: new Map(weak.weights),
  };
  edit(ck);
  return ck;
};
const tensor = (ck: Checkpoint, name: string) => ck.weights.get(name) as HostTensor;
const errorOf = (ck: Checkpoint): string => {
  try {
    checkModelCheckpoint(ck);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as Error).message;
  }
  throw new Error('expected the checkpoint to be refused');
};

describe('checkModelCheckpoint', () => {
  it('accepts the shipped checkpoints and returns their config', async () => {
    expect(checkModelCheckpoint(weak)).toEqual({
      vocab: 24,
      ctx: 32,
      nLayer: 2,
      dModel: 64,
      nHead: 4,
      dMlp: 256,
    });
    expect(modelCheckpointErrors(await loadCheckpointDir('public/models/medium'))).toEqual([]);
  });

  it('refuses a transposed tensor, naming it and saying so', () => {
    const ck = variant((c) => {
      const w = tensor(c, 'h1.mlp.w1'); // [64, 256]
      c.weights.set('h1.mlp.w1', { ...w, shape: [256, 64] });
    });
    expect(errorOf(ck)).toMatch(
      /tensor h1\.mlp\.w1 has shape \[256, 64\], the model needs \[64, 256\] \(transposed\)/,
    );
  });

  it('refuses missing and extra tensors, listing both', () => {
    const ck = variant((c) => {
      c.weights.delete('lnf.b');
      c.weights.set('h2.attn.wqkv', hostTensor('float32', [2, 2]));
    });
    const m = errorOf(ck);
    expect(m).toMatch(/tensor lnf\.b \[64\] is missing/);
    expect(m).toMatch(/unexpected tensor "h2\.attn\.wqkv" \[2, 2\] F32/);
  });

  it('refuses I32 and F64 tensors, naming each with its dtype', () => {
    const ck = variant((c) => {
      const a = tensor(c, 'wpe');
      c.weights.set('wpe', hostTensor('int32', a.shape, Array.from(a.data as Float32Array, Math.round)));
      const b = tensor(c, 'h0.ln1.g');
      c.weights.set('h0.ln1.g', hostTensor('float64', b.shape, b.data as Float32Array));
    });
    const m = errorOf(ck);
    expect(m).toMatch(/tensor wpe is I32, the model needs F32/);
    expect(m).toMatch(/tensor h0\.ln1\.g is F64, the model needs F32/);
  });

  it('refuses NaN and ±Inf weights with the tensor, the count and the first index', () => {
    const ck = variant((c) => {
      const w = tensor(c, 'h0.attn.wo');
      const d = Float32Array.from(w.data as Float32Array);
      d[5] = Number.NaN;
      d[9] = Number.POSITIVE_INFINITY;
      c.weights.set('h0.attn.wo', { ...w, data: d });
      const e = tensor(c, 'wte');
      const d2 = Float32Array.from(e.data as Float32Array);
      d2[100] = Number.NEGATIVE_INFINITY;
      c.weights.set('wte', { ...e, data: d2 });
    });
    const m = errorOf(ck);
    expect(m).toMatch(/tensor h0\.attn\.wo has 2 non-finite values \(first: NaN at index 5\)/);
    expect(m).toMatch(/tensor wte has 1 non-finite value \(first: -Inf at index 100\)/);
  });

  it('refuses a swapped tokenizer (same size) and a vocab of 25', () => {
    const swapped = variant((c) => {
      const v = c.tokenizer.vocab;
      [v[9], v[10]] = [v[10] as string, v[9] as string]; // '0' and '1'
    });
    expect(errorOf(swapped)).toMatch(
      /tokenizer differs from the project's: .*first difference at id 9: checkpoint has "1", this tokenizer "0"/,
    );
    const bigger = variant((c) => {
      c.model.vocab = 25;
      c.tokenizer.vocab.push('x');
      const w = tensor(c, 'wte');
      c.weights.set('wte', hostTensor('float32', [25, 64]));
      expect(w.shape).toEqual([24, 64]);
    });
    const m = errorOf(bigger);
    expect(m).toMatch(/model vocab size 25 differs from the tokenizer's 24/);
    expect(m).toMatch(/checkpoint vocab has 25 tokens, expected 24/);
  });

  it('refuses absurd dimensions before building any tensor list (nLayer 1e8 returns at once)', () => {
    const ck = variant((c) => {
      c.model.nLayer = 100_000_000;
      c.model.dModel = '64';
      c.model.extra = 1;
    });
    const t0 = performance.now();
    const m = errorOf(ck);
    expect(performance.now() - t0).toBeLessThan(1000); // generous: a spec list of 1e8 layers takes minutes
    expect(m).toMatch(/model config: nLayer must be an integer in \[1, 48\] \(got 100000000\)/);
    expect(m).toMatch(/model config: dModel must be an integer in \[1, 2048\] \(got "64"\)/);
    expect(m).toMatch(/model config has an unknown field "extra"/);
  });

  it('checks bundles the page imports (unpackModelCheckpoint)', () => {
    expect(unpackModelCheckpoint(packCheckpoint(weak)).weights.size).toBe(weak.weights.size);
    const bad = variant((c) => c.weights.delete('wpe'));
    expect(() => unpackModelCheckpoint(packCheckpoint(bad))).toThrow(/tensor wpe \[32, 64\] is missing/);
  });

  it('projectVocab is the tokenizer the shipped checkpoints carry', () => {
    expect(weak.tokenizer.vocab).toEqual(projectVocab());
  });
});

describe('gptConfigErrors bounds', () => {
  const ok = { vocab: 24, ctx: 32, nLayer: 2, dModel: 64, nHead: 4, dMlp: 256 };
  it('counts parameters without building specs, as the spec list does', () => {
    for (const c of [ok, { ...ok, nLayer: 3, dModel: 48, nHead: 3, dMlp: 100, ctx: 40 }])
      expect(gptParameterCount(c)).toBe(parameterCount(c));
    expect(gptParamSpecs(ok).length).toBe(2 + 12 * 2 + 2);
  });
  it('has an upper bound on every dimension and on the total', () => {
    for (const k of ['vocab', 'ctx', 'nLayer', 'dModel', 'nHead', 'dMlp'] as const) {
      const errs = gptConfigErrors({ ...ok, [k]: GPT_BOUNDS[k] + 1 });
      expect(errs.join(), k).toMatch(new RegExp(`^${k} must be an integer in \\[1, ${GPT_BOUNDS[k]}\\]`));
    }
    expect(gptConfigErrors({ ...ok, nLayer: 48, dModel: 2048, nHead: 64, dMlp: 8192 }).join()).toMatch(
      /parameters \(at most 50,000,000\)/,
    );
    expect(gptConfigErrors(ok)).toEqual([]);
  });
});
