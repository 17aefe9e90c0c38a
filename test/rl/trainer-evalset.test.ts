// A trainer given a held-out critique set (gcrl repro shares one per seed across arms) evaluates on
// exactly that set without building its own, and its evaluation rows carry the right-verdict-
// wrong-working rate that Eq. 4's denoising should lower.
import { describe, expect, it } from 'vitest';
import type { CritiqueItem } from '../../src/eval/evaluate.js';
import { compareMarks } from '../../src/lm/formats.js';
import { answerText, makeSplits, type Question } from '../../src/lm/tasks.js';
import { SPECIALS as S } from '../../src/lm/tokenizer.js';
import { preset } from '../../src/rl/config.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';
import { RecordingUpdater, type Script, ScriptedPolicy, wrongAnswer } from './trainer-script.js';

const TASK = { family: 'add', digits: 2, trainSize: 24, heldOutSize: 16, splitSeed: 99 } as const;
const splits = makeSplits({ ...TASK, seed: TASK.splitSeed });
const Q = new Map<string, Question>([...splits.train, ...splits.heldOut].map((q) => [q.text, q]));

// Responses always right; the critic's verdict is always right, but its working is wrong on correct responses.
const script: Script = (p) => {
  const q = Q.get(p.question) as Question;
  if (p.kind !== 'critique') return `${answerText(q)}${S.EOS}`;
  const truth = p.response === answerText(q);
  const w = truth ? wrongAnswer(q) : answerText(q);
  return `${w}${compareMarks(w, p.response ?? '')}${truth ? S.OK : S.BAD}${S.EOS}`;
};

describe('GcrlTrainer with a given held-out critique set', () => {
  it('evaluates on the given items, builds none, and reports eval/critic/right_verdict_wrong_working', async () => {
    const c = preset('gcrl');
    c.task = { ...c.task, ...TASK };
    c.rollout = { ...c.rollout, questions: 2, n: 2 };
    c.critique = { ...c.critique, pairs: 2, n: 2 };
    c.eval = { every: 1, questions: 4 };
    const [a, b, d] = splits.heldOut as [Question, Question, Question];
    const items: CritiqueItem[] = [
      { question: a, response: answerText(a), correct: true },
      { question: a, response: wrongAnswer(a), correct: false },
      { question: b, response: wrongAnswer(b), correct: false },
      { question: d, response: wrongAnswer(d, 1), correct: false },
    ];
    const reference = new ScriptedPolicy(script);
    const policy = new ScriptedPolicy(script);
    const t = await GcrlTrainer.fromParts(
      c,
      { policy, reference, updater: new RecordingUpdater() },
      { evalSet: items },
    );
    expect(reference.calls).toHaveLength(0); // no balanced set of its own
    const m = await t.evaluate();
    const judged = policy.calls.filter((x) => x.kind === 'critique').flatMap((x) => x.prompts);
    expect(judged).toHaveLength(4);
    expect(m['eval/critic/acc']).toBe(1);
    expect(m['eval/critic/beta']).toBe(1);
    expect(m['eval/critic/right_verdict_wrong_working']).toBe(1 / 4); // 1 of 4 right verdicts
    t.dispose();
  });
});
