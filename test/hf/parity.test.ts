// The exported decoder against the engine: logits within 1e-4 (full sequences, left-padded
// batches and the KV-cached path), and transformers.js greedy decoding equal to Policy.generate
// token for token on the 256 held-out prompts of the shipped `weak` model.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostTensor } from '../../src/engine/dtype.js';
import { Graph } from '../../src/engine/graph.js';
import { type Program, Runtime } from '../../src/engine/runtime.js';
import { pastName, presentName } from '../../src/hf/decoder-graph.js';
import { loadHfModel } from '../../src/hf/node-fs.js';
import { type HfTextModel, transformers } from '../../src/hf/tjs.js';
import { critiquePrompt, generationPrompt } from '../../src/lm/formats.js';
import { makeSplits } from '../../src/lm/tasks.js';
import { encode, VOCAB } from '../../src/lm/tokenizer.js';
import { causalBias, leftPad } from '../../src/model/batch.js';
import { type GptConfig, gptForward, gptParamSpecs } from '../../src/model/gpt.js';
import { checkpointConfig, checkpointTask, policyFromCheckpoint } from '../../src/model/io.js';
import { paramInputs } from '../../src/nn/params.js';
import { type Exported, exportWeak } from './helpers.js';

let ex: Exported;
let rt: Runtime;
let c: GptConfig;
let onnx: Program;
let hf: HfTextModel;
beforeAll(async () => {
  ex = await exportWeak();
  rt = await Runtime.create('node-cpu');
  c = checkpointConfig(ex.ck);
  onnx = await rt.compile(new Uint8Array(await readFile(join(ex.dir, 'onnx/model.onnx'))));
  hf = await loadHfModel(ex.dir);
});
afterAll(async () => {
  await hf?.dispose();
  await ex?.cleanup();
});

/** The engine's logits [B, T, V] for a left-padded batch (gptForward, the training graph's forward). */
async function engineLogits(seqs: Int32Array[]): Promise<Float32Array> {
  const len = Math.max(...seqs.map((s) => s.length));
  const pb = leftPad(seqs, len);
  const g = new Graph('ref');
  const p = paramInputs(g, gptParamSpecs(c));
  const tokens = g.input('tokens', 'int32', [pb.batch, len]);
  const positions = g.input('positions', 'int32', [pb.batch, len]);
  const bias = g.input('bias', 'float32', [pb.batch, len, len]);
  g.output(gptForward(p, tokens, positions, bias, c), 'logits');
  const prog = await rt.compile(g.toOnnx());
  const feeds: Record<string, HostTensor> = Object.fromEntries(ex.ck.weights);
  feeds.tokens = { dtype: 'int32', shape: [pb.batch, len], data: pb.tokens };
  feeds.positions = { dtype: 'int32', shape: [pb.batch, len], data: pb.positions };
  feeds.bias = { dtype: 'float32', shape: [pb.batch, len, len], data: causalBias(pb) };
  return (await prog.runHost(feeds)).logits?.data as Float32Array;
}

const i64 = (shape: number[], v: ArrayLike<number>): HostTensor => ({
  dtype: 'int64',
  shape,
  data: BigInt64Array.from(Array.from(v), (x) => BigInt(x)),
});

/** Runs the exported ONNX on ids [B, S] after a cache of `pastLen` slots (mask covers both). */
async function runExport(
  ids: number[][],
  mask: number[][],
  positions: number[][],
  past: Record<string, HostTensor>,
) {
  const b = ids.length;
  const s = (ids[0] as number[]).length;
  const feeds: Record<string, HostTensor> = {
    input_ids: i64([b, s], ids.flat()),
    attention_mask: i64([b, (mask[0] as number[]).length], mask.flat()),
    position_ids: i64([b, s], positions.flat()),
    ...past,
  };
  return onnx.runHost(feeds);
}

const emptyPast = (b: number): Record<string, HostTensor> => {
  const hd = c.dModel / c.nHead;
  const out: Record<string, HostTensor> = {};
  for (let i = 0; i < c.nLayer; i++) {
    for (const kv of ['key', 'value'] as const)
      out[pastName(i, kv)] = { dtype: 'float32', shape: [b, c.nHead, 0, hd], data: new Float32Array(0) };
  }
  return out;
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('exported ONNX vs the engine', () => {
  const texts = ['<bos><q>37+85=<r>221<eos>', '<bos><q>05+11=<r>', '<bos><q>99+99=<r>891<c>891===<ok>'];
  const seqs = texts.map((t) => encode(t));
  const len = Math.max(...seqs.map((s) => s.length));
  const pb = leftPad(seqs, len);
  const rows = (a: ArrayLike<number>) =>
    Array.from({ length: seqs.length }, (_, r) => Array.from(a).slice(r * len, (r + 1) * len));

  it('logits agree within 1e-4 on a left-padded batch (positions from the attention mask)', async () => {
    const ref = await engineLogits(seqs);
    const out = await runExport(rows(pb.tokens), rows(pb.valid), rows(pb.positions), emptyPast(seqs.length));
    expect(out.logits?.shape).toEqual([seqs.length, len, c.vocab]);
    // Padding rows' logits are never used; compare real positions only.
    let m = 0;
    for (let r = 0; r < seqs.length; r++) {
      for (let t = 0; t < len; t++) {
        if (!pb.valid[r * len + t]) continue;
        const at = (r * len + t) * c.vocab;
        m = Math.max(
          m,
          maxDiff(
            ((out.logits as HostTensor).data as Float32Array).subarray(at, at + c.vocab),
            ref.subarray(at, at + c.vocab),
          ),
        );
      }
    }
    expect(m).toBeLessThan(1e-4);
  });

  it('the KV-cached path (prefill, then one token at a time) gives the same logits', async () => {
    const full = (
      await runExport(rows(pb.tokens), rows(pb.valid), rows(pb.positions), emptyPast(seqs.length))
    ).logits?.data as Float32Array;
    const split = 5;
    const cut = (a: number[][], from: number, to: number) => a.map((r) => r.slice(from, to));
    let out = await runExport(
      cut(rows(pb.tokens), 0, split),
      cut(rows(pb.valid), 0, split),
      cut(rows(pb.positions), 0, split),
      emptyPast(seqs.length),
    );
    let m = 0;
    for (let t = split; t < len; t++) {
      const past: Record<string, HostTensor> = {};
      for (let i = 0; i < c.nLayer; i++) {
        for (const kv of ['key', 'value'] as const)
          past[pastName(i, kv)] = out[presentName(i, kv)] as HostTensor;
      }
      out = await runExport(
        cut(rows(pb.tokens), t, t + 1),
        cut(rows(pb.valid), 0, t + 1),
        cut(rows(pb.positions), t, t + 1),
        past,
      );
      expect(out[presentName(0, 'key')]?.shape).toEqual([seqs.length, c.nHead, t + 1, c.dModel / c.nHead]);
      for (let r = 0; r < seqs.length; r++) {
        if (!pb.valid[r * len + t]) continue; // a padding query's logits are never used
        const at = (r * len + t) * c.vocab;
        m = Math.max(
          m,
          maxDiff(
            ((out.logits as HostTensor).data as Float32Array).subarray(r * c.vocab, (r + 1) * c.vocab),
            full.subarray(at, at + c.vocab),
          ),
        );
      }
    }
    expect(m).toBeLessThan(1e-4);
  });
});

describe('transformers.js vs Policy.generate (greedy, node)', () => {
  it('equal token for token on the 256 held-out generation prompts', async () => {
    const task = checkpointTask(ex.ck);
    const prompts = makeSplits({ ...task, seed: task.splitSeed }).heldOut.map(generationPrompt);
    expect(prompts).toHaveLength(256);
    const policy = policyFromCheckpoint(rt, ex.ck);
    const ours = await policy.generate(
      prompts.map((p) => encode(p)),
      { eos: VOCAB.EOS, pad: VOCAB.PAD, maxNew: 8, temperature: 0 },
    );
    const differ: string[] = [];
    for (const [i, p] of prompts.entries()) {
      const theirs = await hf.generate(p, { maxNewTokens: 8 });
      if (theirs.tokens.join() !== ours[i]?.tokens.join())
        differ.push(`${p}: ${theirs.tokens} vs ${ours[i]?.tokens}`);
    }
    expect(differ).toEqual([]);
    policy.dispose();
  });

  it('streams text that adds up to the result; sampling is seeded', async () => {
    const pieces: string[] = [];
    const r = await hf.generate('<bos><q>37+85=<r>231<c>', {
      maxNewTokens: 10,
      onText: (t) => pieces.push(t),
    });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(r.text);
    const sample = (seed: number) =>
      hf.generate('<bos><q>37+85=<r>', { maxNewTokens: 8, temperature: 1.5, seed });
    const [a, b] = [await sample(3), await sample(3)];
    expect(a.tokens).toEqual(b.tokens);
    const others = await Promise.all([4, 5, 6, 7, 8].map(async (s) => (await sample(s)).tokens.join()));
    expect(new Set([a.tokens.join(), ...others]).size).toBeGreaterThan(1);
  });

  it("pipeline('text-generation') loads the folder and continues a critique prompt like the engine", async () => {
    const t = await transformers({ localModelPath: ex.root });
    const gen = await t.pipeline('text-generation', 'weak');
    const prompt = critiquePrompt(
      { family: 'add', a: 37, b: 85, text: '37+85=', answer: 122, width: 3 },
      '231',
    );
    const out = (await gen(prompt, { max_new_tokens: 10, do_sample: false, return_full_text: false })) as {
      generated_text: string;
    }[];
    const policy = policyFromCheckpoint(rt, ex.ck);
    const [ours] = await policy.generate([encode(prompt)], { eos: VOCAB.EOS, maxNew: 10, temperature: 0 });
    // The pipeline drops control tokens (<eos>) from its text; verdict tokens stay.
    expect(out[0]?.generated_text).toBe(hf.decode(ours?.tokens ?? []).replace('<eos>', ''));
    expect(out[0]?.generated_text).toMatch(/<(ok|bad)>/);
    await gen.dispose();
    policy.dispose();
  });
});
