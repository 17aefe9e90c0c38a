// The rule-based verifier ok(q, o): a response is correct only if it is exactly the LSD-first answer.
import { formatAnswer, type Question } from './tasks.js';

/**
 * True iff `responseText` (the response body: what follows `<r>`, without `<eos>`) is exactly
 * formatAnswer(question.answer). Nothing is tolerated: no spaces, signs, extra zeros or tokens.
 */
export function verify(question: Question, responseText: string): boolean {
  return responseText === formatAnswer(question.answer);
}
