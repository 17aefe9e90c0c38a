// Cold-start examples for the three formats, drawn from the wide question space (everything but
// the held-out set): correct answers, balanced critiques of right and plausibly-wrong responses,
// and refinements of wrong responses.
import {
  critiqueExample,
  type Example,
  generationExample,
  idealCritique,
  refinementExample,
} from '../lm/formats.js';
import { answerText, type Family, padAnswer, type Question, sampleQuestionOutside } from '../lm/tasks.js';
import type { Rng } from '../util/rng.js';

export interface ColdStartMix {
  generation: number; // share of generation examples (default 0.1)
  critique: number; // share of critique examples, half on correct responses (default 0.8)
  refinement: number; // share of refinement examples (default 0.1)
}

/**
 * Critique-heavy by default: the critic's comparison skill then arrives before the arithmetic
 * does, so an early snapshot is a weak generator with a critic a little above chance (measured:
 * with 0.5/0.4/0.1 the critic stayed at chance until generation was ~98% right).
 */
export const MIX_DEFAULTS: Readonly<ColdStartMix> = Object.freeze({
  generation: 0.1,
  critique: 0.8,
  refinement: 0.1,
});

/** A wrong answer a weak model might give (one digit changed, or off by a little), at the answer width. */
export function wrongAnswer(q: Question, rng: Rng): string {
  const right = answerText(q);
  for (;;) {
    let w: string;
    if (rng.next() < 0.5) {
      const digits = [...right];
      digits[rng.int(digits.length)] = String(rng.int(10));
      w = digits.join('');
    } else {
      const n = q.answer + (rng.next() < 0.5 ? -1 : 1) * (1 + rng.int(10));
      w = n >= 0 && n < 10 ** q.width ? padAnswer(n, q.width) : right;
    }
    if (w !== right) return w;
  }
}

export interface ColdStartSource {
  family: Family;
  digits: number;
  exclude: ReadonlySet<string>; // held-out question texts
  mix: ColdStartMix;
}

/** A training example; the first `skip` target tokens carry no loss. */
export type ColdStartExample = Example & { skip: number };

/**
 * One example of a format chosen by the mix. On a correct response the critic's working equals
 * the response, so training it there would teach "copy the response" (right half the time, which
 * beats a weak model's own arithmetic); those working tokens carry no loss and the critic learns
 * to recompute from wrong responses, and to compare its working with the response for the verdict.
 */
export function coldStartExample(src: ColdStartSource, rng: Rng): ColdStartExample {
  const q = sampleQuestionOutside(src.family, src.digits, rng, src.exclude);
  const u = rng.next() * (src.mix.generation + src.mix.critique + src.mix.refinement);
  if (u < src.mix.generation) return { ...generationExample(q), skip: 0 };
  if (u < src.mix.generation + src.mix.critique) {
    const right = rng.next() < 0.5;
    const ex = critiqueExample(q, right ? answerText(q) : wrongAnswer(q, rng));
    return { ...ex, skip: right ? answerText(q).length : 0 }; // marks and verdict still train
  }
  const wrong = wrongAnswer(q, rng);
  return { ...refinementExample(q, wrong, idealCritique(q, wrong)), skip: 0 };
}
