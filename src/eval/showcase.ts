// A few sampled responses and the policy's critiques of them, for people to read (the page's
// model panel and the CLI): question, response and its correctness, critique and its verdict.
import { critiquePrompt, generationPrompt, parseCritique, parseResponse } from '../lm/formats.js';
import type { Question } from '../lm/tasks.js';
import { verify } from '../lm/verifier.js';
import type { Policy } from '../model/policy.js';
import { complete } from './evaluate.js';

export interface ShowcaseRow {
  question: string;
  response: string; // raw completion, <eos> included when produced
  correct: boolean;
  critique: string; // raw critique completion
  verdict: 'correct' | 'wrong' | 'none';
  verdictRight: boolean;
}

export async function showcase(
  policy: Policy,
  questions: readonly Question[],
  o: { temperature: number; seed: number },
): Promise<ShowcaseRow[]> {
  const responses = await complete(policy, questions.map(generationPrompt), o.temperature, { seed: o.seed });
  const bodies = responses.map((r) => parseResponse(r).body);
  const critiques = await complete(
    policy,
    questions.map((q, i) => critiquePrompt(q, bodies[i] as string)),
    o.temperature,
    { seed: o.seed + 1 },
  );
  return questions.map((q, i) => {
    const correct = verify(q, bodies[i] as string);
    const { verdict } = parseCritique(critiques[i] as string);
    return {
      question: q.text,
      response: responses[i] as string,
      correct,
      critique: critiques[i] as string,
      verdict,
      verdictRight: (verdict === 'correct') === correct && verdict !== 'none',
    };
  });
}
