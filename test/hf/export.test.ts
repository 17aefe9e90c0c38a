// The export folder: its files, GPT-2's names and layout in model.safetensors, config fields, the
// tokenizer round trip through transformers.js, and clear errors for incomplete folders.
import { spawnSync } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/checkpoint/safetensors.js';
import { wrongAnswer } from '../../src/coldstart/data.js';
import type { HostTensor } from '../../src/engine/dtype.js';
import { Runtime } from '../../src/engine/runtime.js';
import { EXPORT_FILES } from '../../src/hf/export.js';
import { fromGpt2Weights, gpt2Names } from '../../src/hf/gpt2-format.js';
import { loadHfModel } from '../../src/hf/node-fs.js';
import { transformers } from '../../src/hf/tjs.js';
import {
  critiqueExample,
  generationExample,
  idealCritique,
  refinementExample,
} from '../../src/lm/formats.js';
import { FAMILIES, makeSplits, questionAt, questionSpaceSize } from '../../src/lm/tasks.js';
import { decode, encode } from '../../src/lm/tokenizer.js';
import { checkpointConfig, checkpointTask } from '../../src/model/io.js';
import { Rng } from '../../src/util/rng.js';
import { type Exported, exportWeak } from './helpers.js';

let ex: Exported;
beforeAll(async () => {
  ex = await exportWeak();
});
afterAll(() => ex?.cleanup());

const readJson = async (p: string) => JSON.parse(await readFile(join(ex.dir, p), 'utf8'));

describe('gcrl export folder', () => {
  it('holds every file, with config fields transformers.js and GPT2LMHeadModel read', async () => {
    for (const f of EXPORT_FILES) expect((await readFile(join(ex.dir, f))).length).toBeGreaterThan(0);
    const c = checkpointConfig(ex.ck);
    const cfg = await readJson('config.json');
    expect(cfg).toMatchObject({
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      n_layer: c.nLayer,
      n_head: c.nHead,
      n_embd: c.dModel,
      n_inner: c.dMlp,
      n_positions: c.ctx,
      vocab_size: c.vocab,
      bos_token_id: 1,
      eos_token_id: 2,
      pad_token_id: 0,
      activation_function: 'gelu_new',
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: true,
      'transformers.js_config': { dtype: 'fp32' },
    });
    expect(await readJson('generation_config.json')).toMatchObject({ eos_token_id: 2, max_length: c.ctx });
    const readme = await readFile(join(ex.dir, 'README.md'), 'utf8');
    for (const word of ['GELU', 'epsilon', 'biases', 'tied', 'left padding']) expect(readme).toContain(word);
  });

  it('stores GPT-2 names and Conv1D [in, out] layout, lm_head tied (absent), metadata format pt', async () => {
    const c = checkpointConfig(ex.ck);
    const st = decodeSafetensors(await readFile(join(ex.dir, 'model.safetensors')));
    expect(st.metadata).toEqual({ format: 'pt' });
    const names = [...st.tensors.keys()].sort();
    expect(names).toEqual(Object.values(gpt2Names(c)).sort());
    expect(names).toContain('transformer.h.1.mlp.c_proj.weight');
    expect(names.some((n) => n.startsWith('lm_head'))).toBe(false);
    expect(st.tensors.get('transformer.h.0.attn.c_attn.weight')?.shape).toEqual([c.dModel, 3 * c.dModel]);
    expect(st.tensors.get('transformer.h.0.mlp.c_fc.weight')?.shape).toEqual([c.dModel, c.dMlp]);
    expect(st.tensors.get('transformer.wpe.weight')?.shape).toEqual([c.ctx, c.dModel]);
    const back = fromGpt2Weights(c, st.tensors);
    for (const [name, t] of ex.ck.weights) expect(back.get(name)?.data, name).toEqual(t.data);
  });

  it('tokenizes every task string exactly as the playground does, and decodes it back', async () => {
    const t = await transformers({ localModelPath: ex.root });
    const tok = await t.AutoTokenizer.from_pretrained('weak');
    const task = checkpointTask(ex.ck);
    const splits = makeSplits({ ...task, seed: task.splitSeed });
    const rng = new Rng(7);
    const strings: string[] = [];
    const addAll = (q: Parameters<typeof generationExample>[0]) => {
      const wrong = wrongAnswer(q, rng);
      for (const e of [
        generationExample(q),
        critiqueExample(q, wrong),
        critiqueExample(q, idealCritique(q, wrong)),
      ])
        strings.push(e.prompt, e.target);
      const r = refinementExample(q, wrong);
      strings.push(r.prompt + r.target);
    };
    for (const q of [...splits.heldOut, ...splits.train]) addAll(q);
    for (const family of FAMILIES) {
      for (const digits of [1, 2, 3]) {
        const n = questionSpaceSize(family, digits);
        for (let k = 0; k < 40; k++) addAll(questionAt(family, digits, rng.int(n)));
      }
    }
    expect(strings.length).toBeGreaterThan(5000);
    let bad = 0;
    for (const s of strings) {
      const ids = tok.encode(s);
      if (JSON.stringify(ids) !== JSON.stringify(Array.from(encode(s)))) bad++;
      else if (tok.decode(ids, { skip_special_tokens: false }) !== s || decode(ids) !== s) bad++;
    }
    expect(bad).toBe(0);
    // Verdicts are added tokens, not control tokens: they survive skip_special_tokens.
    expect(tok.decode(Array.from(encode('221=-=<bad><eos>')), { skip_special_tokens: true })).toBe(
      '221=-=<bad>',
    );
  });
});

describe('incomplete or malformed folders', () => {
  const broken = async (name: string, breakIt: (dir: string) => Promise<void>): Promise<string> => {
    const dir = join(ex.root, name);
    await cp(ex.dir, dir, { recursive: true });
    await breakIt(dir);
    return dir;
  };
  const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
    ['no-onnx', (d) => rm(join(d, 'onnx/model.onnx')), /missing onnx\/model\.onnx/],
    ['no-tokcfg', (d) => rm(join(d, 'tokenizer_config.json')), /missing tokenizer_config\.json/],
    ['no-tokenizer', (d) => rm(join(d, 'tokenizer.json')), /missing tokenizer\.json/],
    ['no-config', (d) => rm(join(d, 'config.json')), /missing config\.json/],
    [
      'no-heads',
      async (d) => {
        const cfg = JSON.parse(await readFile(join(d, 'config.json'), 'utf8'));
        delete cfg.n_head;
        delete cfg.n_layer;
        await writeFile(join(d, 'config.json'), JSON.stringify(cfg));
      },
      /config\.json \(gpt2\) lacks n_layer, n_head/,
    ],
    [
      'bad-json',
      (d) => writeFile(join(d, 'tokenizer.json'), '{"model": '),
      /tokenizer\.json is not valid JSON/,
    ],
  ];
  for (const [name, breakIt, message] of cases) {
    it(`${name}: names what is wrong`, async () => {
      const dir = await broken(name, breakIt);
      await expect(loadHfModel(dir)).rejects.toThrow(message);
    });
  }

  it('lists every problem at once, and a missing folder is not taken for a Hub id offline', async () => {
    const dir = await broken('many', async (d) => {
      await rm(join(d, 'onnx/model.onnx'));
      await rm(join(d, 'tokenizer_config.json'));
    });
    await expect(loadHfModel(dir)).rejects.toThrow(
      /missing tokenizer_config\.json; missing onnx\/model\.onnx/,
    );
    await expect(loadHfModel(join(ex.root, 'nope'))).rejects.toThrow(/is not a folder/);
  });
});

// Python transformers is not installed here; a numpy GPT-2 written from GPT2LMHeadModel's
// definition reads the same files under GPT-2's names and must give the ONNX decoder's logits.
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
describe.runIf(hasNumpy)('model.safetensors read as GPT-2 (numpy reference)', () => {
  it("gives the exported decoder's logits within 1e-4", async () => {
    const texts = ['<bos><q>37+85=<r>221<eos>', '<bos><q>99+99=<r>891<c>891===<ok>'];
    const seqs = texts.map((t) => Array.from(encode(t)));
    const py = spawnSync('python3', ['test/hf/gpt2_reference.py', ex.dir, JSON.stringify(seqs)], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(py.stderr).toBe('');
    const ref = JSON.parse(py.stdout) as number[][][];
    const rt = await Runtime.create('node-cpu');
    const onnx = await rt.compile(new Uint8Array(await readFile(join(ex.dir, 'onnx/model.onnx'))));
    const c = checkpointConfig(ex.ck);
    let m = 0;
    for (const [r, s] of seqs.entries()) {
      const i64 = (a: number[]): HostTensor => ({
        dtype: 'int64',
        shape: [1, a.length],
        data: BigInt64Array.from(a, BigInt),
      });
      const feeds: Record<string, HostTensor> = {
        input_ids: i64(s),
        attention_mask: i64(s.map(() => 1)),
        position_ids: i64(s.map((_, i) => i)),
      };
      for (let i = 0; i < c.nLayer; i++) {
        for (const kv of ['key', 'value'] as const)
          feeds[`past_key_values.${i}.${kv}`] = {
            dtype: 'float32',
            shape: [1, c.nHead, 0, c.dModel / c.nHead],
            data: new Float32Array(0),
          };
      }
      const got = (await onnx.runHost(feeds)).logits?.data as Float32Array;
      (ref[r] as number[][]).flat().forEach((x, k) => {
        m = Math.max(m, Math.abs(x - (got[k] as number)));
      });
    }
    expect(m).toBeLessThan(1e-4);
  });
});
