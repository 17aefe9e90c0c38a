// The balanced critique set keeps one right and one wrong response per kept question, with a real policy.
import { beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime.js';
import { balancedCritiqueSet } from '../../src/eval/evaluate.js';
import { generationExample } from '../../src/lm/formats.js';
import { makeSplits, type Question } from '../../src/lm/tasks.js';
import { encode, VOCAB } from '../../src/lm/tokenizer.js';
import { verify } from '../../src/lm/verifier.js';
import type { GptConfig } from '../../src/model/gpt.js';
import { Policy } from '../../src/model/policy.js';
import { SftTrainer } from '../../src/model/sft.js';

const cfg: GptConfig = { vocab: VOCAB.size, ctx: 16, nLayer: 1, dModel: 32, nHead: 2, dMlp: 64 };
const splits = makeSplits({ family: 'mod', digits: 1, trainSize: 40, heldOutSize: 24, seed: 5 });

let trained: Policy;
let random: Policy;
beforeAll(async () => {
  const rt = await Runtime.create('node-cpu');
  random = Policy.init(rt, cfg, 1);
  // A briefly trained policy: knows the format, gets some answers right and others wrong.
  trained = Policy.init(rt, cfg, 2);
  const trainer = new SftTrainer(trained, { totalSteps: 40, lr: 1e-2, warmup: 5 });
  const batch = splits.train.map((q) => {
    const ex = generationExample(q);
    return { tokens: encode(ex.prompt + ex.target), promptLen: encode(ex.prompt).length };
  });
  for (let i = 0; i < 40; i++) await trainer.train(batch);
  trainer.dispose();
});

describe('balancedCritiqueSet', () => {
  it('keeps exactly one verified-correct and one verified-wrong response per kept question', async () => {
    const questions = splits.heldOut;
    const { items, questionsKept } = await balancedCritiqueSet([trained, random], questions, 3, { seed: 9 });
    expect(questionsKept).toBeGreaterThanOrEqual(5); // 13 of 24 with these seeds
    expect(questionsKept).toBeLessThanOrEqual(questions.length);
    expect(items).toHaveLength(2 * questionsKept);
    const perQuestion = new Map<Question, boolean[]>();
    for (const it of items) {
      expect(questions).toContain(it.question);
      expect(verify(it.question, it.response)).toBe(it.correct);
      expect(it.response).not.toContain('<eos>');
      perQuestion.set(it.question, [...(perQuestion.get(it.question) ?? []), it.correct]);
    }
    expect(perQuestion.size).toBe(questionsKept);
    for (const labels of perQuestion.values()) expect(labels).toEqual([true, false]);
    expect(items.filter((i) => i.correct)).toHaveLength(questionsKept);
    // Kept questions come in the order of the input.
    const order = [...perQuestion.keys()].map((q) => questions.indexOf(q));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('is reproducible from the seed', async () => {
    const a = await balancedCritiqueSet([trained, random], splits.heldOut, 2, { seed: 3 });
    const b = await balancedCritiqueSet([trained, random], splits.heldOut, 2, { seed: 3 });
    expect(b).toEqual(a);
  });

  it('keeps (almost) nothing when the only policy is random', async () => {
    const { items, questionsKept } = await balancedCritiqueSet([random], splits.heldOut.slice(0, 6), 1, {});
    // A random policy over 24 tokens is almost never exactly right; if it is, the pairing still holds.
    expect(items.length).toBe(2 * questionsKept);
    expect(questionsKept).toBeLessThanOrEqual(1);
  });
});
