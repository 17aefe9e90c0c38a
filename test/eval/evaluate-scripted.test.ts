// Held-out evaluation and the showcase over a scripted policy: exact accuracy, format rate and mean
// length, the balanced set's choice of questions and responses, critique statistics, seeds and batches.
import { describe, expect, it } from 'vitest';
import { balancedCritiqueSet, critiqueAccuracy, generationAccuracy } from '../../src/eval/evaluate.js';
import { showcase } from '../../src/eval/showcase.js';
import { answerText, makeSplits, type Question } from '../../src/lm/tasks.js';
import { encode } from '../../src/lm/tokenizer.js';
import { type Script, ScriptedPolicy, scriptedCritique } from '../rl/trainer-script.js';

const { heldOut } = makeSplits({ family: 'add', digits: 2, trainSize: 0, heldOutSize: 8, seed: 3 });
const Q = new Map<string, Question>(heldOut.map((q) => [q.text, q]));
const q = (t: string) => Q.get(t) as Question;
const qs = heldOut.slice(0, 8);

/** By question slot: right, wrong digits, garbage, digits without <eos> (cut at the budget). */
const kinds: Script = (p, _k, slot) => {
  const a = answerText(q(p.question));
  return [`${a}<eos>`, '1<eos>', '+<eos>', '123456789012'][slot % 4] as string;
};

describe('generationAccuracy (scripted)', () => {
  it('counts right answers, clean formats and tokens, batch by batch with their seeds', async () => {
    const policy = new ScriptedPolicy(kinds);
    const s = await generationAccuracy(policy, qs, 0.7, { seed: 11, batch: 4 });
    expect(s.n).toBe(8);
    expect(s.acc).toBe(2 / 8);
    expect(s.formatRate).toBe(4 / 8); // right and wrong digits both parse cleanly
    const all = policy.calls.flatMap((c) => c.completions);
    expect(all).toHaveLength(8);
    expect(s.meanLength).toBe(all.reduce((a, t) => a + encode(t).length, 0) / 8);
    expect(all[3]).toBe('1234'); // cut at the format's budget: width 3 + <eos>
    expect(policy.calls.map((c) => c.prompts.length)).toEqual([4, 4]);
    expect(policy.calls.map((c) => c.opts.seed)).toEqual([11, 15]); // call k: seed + k·batch
    expect(policy.calls.every((c) => c.opts.temperature === 0.7)).toBe(true);
  });
});

describe('balancedCritiqueSet (scripted)', () => {
  it('keeps questions with a right and a wrong sample over all policies: one of each, right first', async () => {
    const always = new ScriptedPolicy((p) => `${answerText(q(p.question))}<eos>`);
    const half = new ScriptedPolicy((p, _k, slot) =>
      slot < 2 ? `${answerText(q(p.question))}<eos>` : `${slot}<eos>`,
    );
    const set = await balancedCritiqueSet([always, half], qs.slice(0, 4), 2, { seed: 5 });
    expect(set.questionsKept).toBe(2);
    expect(set.items).toEqual([
      { question: qs[2], response: answerText(qs[2] as Question), correct: true },
      { question: qs[2], response: '2', correct: false },
      { question: qs[3], response: answerText(qs[3] as Question), correct: true },
      { question: qs[3], response: '3', correct: false },
    ]);
    expect([...always.calls, ...half.calls].map((c) => c.opts.seed)).toEqual([5, 1005, 2005, 3005]);
    expect(always.calls.every((c) => c.opts.temperature === 1)).toBe(true);
  });

  it('keeps nothing when no question gets both', async () => {
    const always = new ScriptedPolicy((p) => `${answerText(q(p.question))}<eos>`);
    expect(await balancedCritiqueSet([always], qs, 3)).toEqual({ items: [], questionsKept: 0 });
  });
});

describe('critiqueAccuracy and showcase (scripted)', () => {
  const critic: Script = (p, _k, slot) => {
    const question = q(p.question);
    const truth = p.response === answerText(question);
    if (slot === 3) return `9${'<ok>'}<eos>`; // a wrong working with a verdict
    return scriptedCritique(
      question,
      p.response ?? '',
      truth,
      slot === 2 ? 'none' : slot === 1 ? 'wrong' : 'right',
    );
  };

  it('scores the verdicts against the items’ labels', async () => {
    const items = qs.slice(0, 4).flatMap((question) => [
      { question, response: answerText(question), correct: true },
      { question, response: '1', correct: false },
    ]);
    const policy = new ScriptedPolicy(critic);
    const s = await critiqueAccuracy(policy, items, 0, { seed: 2 });
    // slot 0 right on both, slot 1 wrong on both, slot 2 no verdict, slot 3 says "correct" to both
    expect(s.confusion).toEqual({ tp: 2, fn: 1, fp: 2, tn: 1, noneOnCorrect: 1, noneOnWrong: 1 });
    expect(s.acc).toBe(3 / 8);
    expect(s.precision).toBe(2 / 4);
    expect(s.recall).toBe(2 / 4);
    expect(s.beta).toBe(1 / 4);
    expect(s.verdictRate).toBe(6 / 8);
    expect(s.formatRate).toBe(6 / 8);
    expect(s.rightVerdictWrongWorking).toBe(1 / 3); // slot 3's right verdict has working "9"
    expect(s.samples.map((x) => x.item)).toEqual(items);
    expect(s.samples.map((x) => x.critique)).toEqual(policy.calls.flatMap((c) => c.completions));
    expect(policy.calls[0]?.opts.temperature).toBe(0);
  });

  it('showcase: each question’s response, its truth, the critique and whether its verdict is right', async () => {
    const policy = new ScriptedPolicy((p, k, slot, call) =>
      p.kind === 'response' ? (kinds(p, k, slot, call) as string) : (critic(p, k, slot, call) as string),
    );
    const rows = await showcase(policy, qs.slice(0, 4), { temperature: 0.5, seed: 40 });
    expect(rows.map((r) => [r.question, r.response, r.correct, r.verdict, r.verdictRight])).toEqual([
      [qs[0]?.text, `${answerText(qs[0] as Question)}<eos>`, true, 'correct', true],
      [qs[1]?.text, '1<eos>', false, 'correct', false],
      [qs[2]?.text, '+<eos>', false, 'none', false],
      [qs[3]?.text, '1234', false, 'wrong', true], // a longer response: its own budget, its own call (slot 0)
    ]);
    expect(rows.map((r) => r.critique)).toEqual(policy.calls.slice(1).flatMap((c) => c.completions));
    expect(policy.calls.map((c) => [c.kind, c.opts.seed, c.opts.temperature])).toEqual([
      ['response', 40, 0.5],
      ['critique', 41, 0.5],
      ['critique', 41 + 7919, 0.5],
    ]);
  });
});
