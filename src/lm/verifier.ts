// The rule-based verifier ok(q, o): a response is correct only if it is exactly the LSD-first, fixed-width answer.
import { answerText, type Question } from './tasks.js';

/**
 * True iff `responseText` (the response body: what follows `<r>`, without `<eos>`) is exactly
 * answerText(question): LSD-first at the fixed width. Nothing else is tolerated.
 */
export function verify(question: Question, responseText: string): boolean {
  return responseText === answerText(question);
}
