// Held-out evaluation gives every format its budget: at 1..6 digits a critic that writes the ideal
// critique always reaches its verdict (8 new tokens used to cut every critique of ≥ 3 digits), and a
// generator that writes the answer is scored right.
import { describe, expect, it } from 'vitest';
import { critiqueAccuracy, generationAccuracy } from '../../src/eval/evaluate.js';
import { idealCritique } from '../../src/lm/formats.js';
import type { RolloutPolicy } from '../../src/lm/rollout.js';
import { answerText, FAMILIES, type Question, questionAt, questionSpaceSize } from '../../src/lm/tasks.js';
import { decode, encode, SPECIALS, VOCAB } from '../../src/lm/tokenizer.js';

/** Writes the ideal continuation of generation and critique prompts, cut at the budget it is given. */
const idealPolicy = (q: Question, ctx: number): RolloutPolicy => ({
  config: { ctx },
  async generate(prompts, opts) {
    return prompts.map((p) => {
      const prompt = decode(p);
      const text = prompt.endsWith(SPECIALS.R)
        ? `${answerText(q)}${SPECIALS.EOS}`
        : `${idealCritique(q, prompt.slice(prompt.indexOf(SPECIALS.R) + 3, -3))}${SPECIALS.EOS}`;
      const ids = [...encode(text)].slice(0, opts.maxNew);
      return { tokens: ids, logps: ids.map(() => 0), finished: ids.at(-1) === VOCAB.EOS };
    });
  },
});

describe('evaluation budgets', () => {
  it('reaches every verdict and every answer at 1..6 digits in every family', async () => {
    for (const family of FAMILIES) {
      for (let digits = 1; digits <= 6; digits++) {
        const q = questionAt(family, digits, questionSpaceSize(family, digits) - 1);
        const policy = idealPolicy(q, 1024);
        const wrong = [...answerText(q)].map((d) => String((Number(d) + 1) % 10)).join('');
        const c = await critiqueAccuracy(
          policy,
          [
            { question: q, response: answerText(q), correct: true },
            { question: q, response: wrong, correct: false },
          ],
          0,
        );
        expect([c.verdictRate, c.acc, c.formatRate], `${family} ${digits}`).toEqual([1, 1, 1]);
        const g = await generationAccuracy(policy, [q], 0);
        expect([g.acc, g.formatRate], `${family} ${digits}`).toEqual([1, 1]);
      }
    }
  });
});
