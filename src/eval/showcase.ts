// A few sampled responses and the policy's critiques of them, for people to read (the page's
// model panel and the CLI): question, response and its correctness, critique and its verdict.
import { rolloutCritiques, rolloutResponses } from '../lm/rollout.js';
import type { Question } from '../lm/tasks.js';
import type { Policy } from '../model/policy.js';

export interface ShowcaseRow {
  question: string;
  response: string; // raw completion, <eos> included when produced
  correct: boolean;
  critique: string; // raw critique completion
  verdict: 'correct' | 'wrong' | 'none';
  verdictRight: boolean;
}

export async function showcase(
  policy: Pick<Policy, 'generate'>,
  questions: readonly Question[],
  o: { temperature: number; seed: number },
): Promise<ShowcaseRow[]> {
  const responses = await rolloutResponses(policy, questions, { ...o, batch: 64 });
  const critiques = await rolloutCritiques(
    policy,
    questions.map((question, i) => ({ question, response: responses[i]?.body ?? '' })),
    { ...o, seed: o.seed + 1, batch: 64 },
  );
  return questions.map((q, i) => {
    const r = responses[i] as (typeof responses)[number];
    const c = critiques[i] as (typeof critiques)[number];
    const { verdict } = c.parsed;
    return {
      question: q.text,
      response: r.text,
      correct: r.ok,
      critique: c.text,
      verdict,
      verdictRight: (verdict === 'correct') === r.ok && verdict !== 'none',
    };
  });
}
