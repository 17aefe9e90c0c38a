// The shared held-out critique set of `gcrl repro`: the held-out questions first, then further
// questions outside both splits (fixed by the split seed), grown until the set is large enough.
import { describe, expect, it } from 'vitest';
import { answerText, makeSplits, type Question } from '../../src/lm/tasks.js';
import { SPECIALS as S } from '../../src/lm/tokenizer.js';
import { critiqueQuestions, SHARED_SET, sharedCritiqueSet } from '../../src/report/critique-set.js';
import { ScriptedPolicy } from '../rl/trainer-script.js';

const TASK = { family: 'add', digits: 2, trainSize: 40, heldOutSize: 16, splitSeed: 7 } as const;
const splits = makeSplits({ ...TASK, seed: TASK.splitSeed });

describe('critiqueQuestions', () => {
  it('starts with the held-out set and adds distinct questions in neither split', () => {
    const qs = critiqueQuestions(TASK, 30);
    expect(qs).toHaveLength(46);
    expect(qs.slice(0, 16)).toEqual([...splits.heldOut]);
    const train = new Set(splits.train.map((q) => q.text));
    const extra = qs.slice(16).map((q) => q.text);
    expect(new Set(qs.map((q) => q.text)).size).toBe(46);
    for (const t of extra) {
      expect(train.has(t)).toBe(false);
      expect(splits.heldOutTexts.has(t)).toBe(false);
    }
    expect(critiqueQuestions(TASK, 10)).toEqual(qs.slice(0, 26)); // a prefix: fixed by the split seed
  });

  it('stops at the size of the question space', () => {
    const tiny = { ...TASK, digits: 1, trainSize: 60, heldOutSize: 20 }; // 100 questions
    expect(critiqueQuestions(tiny, 1000)).toHaveLength(40);
  });
});

describe('sharedCritiqueSet', () => {
  it('adds rounds of questions until it holds minItems balanced items', async () => {
    const byText = new Map<string, Question>(
      critiqueQuestions(TASK, 100).map((q) => [q.text, q] as [string, Question]),
    );
    // first sample right, second wrong: every question is kept with one pair
    const policy = new ScriptedPolicy((p, _k, _slot, call) => {
      const q = byText.get(p.question) as Question;
      return call % 2 === 0 ? `${answerText(q)}${S.EOS}` : `1${S.EOS}`;
    });
    const set = await sharedCritiqueSet(policy, TASK, 3, { minItems: 40, samples: 2, chunk: 8 });
    expect(set).toMatchObject({ heldOutQuestions: 16, extraQuestions: 8, questionsKept: 24 });
    expect(set.items).toHaveLength(48);
    expect(set.items.filter((i) => i.correct)).toHaveLength(24);
    expect(set.items.slice(0, 32).map((i) => i.question)).toEqual(splits.heldOut.flatMap((q) => [q, q]));
  });

  it('defaults to ≥ 625 items (one seed’s standard error ≤ 2 points at any accuracy)', () => {
    expect(SHARED_SET.minItems).toBeGreaterThanOrEqual(625);
    expect(Math.sqrt(0.25 / SHARED_SET.minItems)).toBeLessThanOrEqual(0.02);
  });
});
