// Cold-start data: plausible wrong answers, the format mix, the held-out exclusion and the critique skip.
import { describe, expect, it } from 'vitest';
import {
  type ColdStartSource,
  coldStartExample,
  MIX_DEFAULTS,
  wrongAnswer,
} from '../../src/coldstart/data.js';
import { answerText, FAMILIES, makeQuestion, makeSplits } from '../../src/lm/tasks.js';
import { encode, SPECIALS as S, VOCAB } from '../../src/lm/tokenizer.js';
import { verify } from '../../src/lm/verifier.js';
import { Rng } from '../../src/util/rng.js';

const kind = (prompt: string) =>
  prompt.includes(S.F) ? 'refinement' : prompt.includes(S.C) ? 'critique' : 'generation';
const questionText = (prompt: string) => prompt.slice(`${S.BOS}${S.Q}`.length, prompt.indexOf(S.R));

describe('wrongAnswer', () => {
  it('is never the right answer and always a canonical LSD-first answer', () => {
    const rng = new Rng(1);
    const qs = [
      makeQuestion('add', 0, 0), // answer 0
      makeQuestion('add', 5, 5), // answer 10: "01"
      makeQuestion('add', 37, 85),
      makeQuestion('sub', 100, 1),
      makeQuestion('mul1', 47, 6),
      makeQuestion('mod', 17, 9),
    ];
    for (const q of qs) {
      for (let i = 0; i < 500; i++) {
        const w = wrongAnswer(q, rng);
        expect(w).not.toBe(answerText(q));
        expect(w).toMatch(new RegExp(`^[0-9]{${q.width}}$`)); // a fixed-width answer
        expect(verify(q, w)).toBe(false);
      }
    }
  });

  it('is reproducible from the seed', () => {
    const q = makeQuestion('add', 37, 85);
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 20 }, () => wrongAnswer(q, rng));
    };
    expect(draw(5)).toEqual(draw(5));
  });
});

describe('coldStartExample', () => {
  const splits = makeSplits({ family: 'add', digits: 1, trainSize: 10, heldOutSize: 60, seed: 3 });
  const src: ColdStartSource = { family: 'add', digits: 1, exclude: splits.heldOutTexts, mix: MIX_DEFAULTS };

  it('gives only generation examples for mix {1, 0, 0}', () => {
    const rng = new Rng(2);
    for (let i = 0; i < 300; i++) {
      const ex = coldStartExample({ ...src, mix: { generation: 1, critique: 0, refinement: 0 } }, rng);
      expect(kind(ex.prompt)).toBe('generation');
      expect(ex.skip).toBe(0);
    }
  });

  it('gives only critiques for mix {0, 1, 0}, half on correct responses', () => {
    const rng = new Rng(4);
    let ok = 0;
    for (let i = 0; i < 1000; i++) {
      const ex = coldStartExample({ ...src, mix: { generation: 0, critique: 1, refinement: 0 } }, rng);
      expect(kind(ex.prompt)).toBe('critique');
      if (ex.target.includes(S.OK)) ok++;
    }
    expect(Math.abs(ok / 1000 - 0.5)).toBeLessThan(0.05);
  });

  it('follows the default mix roughly', () => {
    const rng = new Rng(6);
    const n = 4000;
    const c = { generation: 0, critique: 0, refinement: 0 };
    for (let i = 0; i < n; i++) c[kind(coldStartExample(src, rng).prompt)]++;
    expect(Math.abs(c.generation / n - MIX_DEFAULTS.generation)).toBeLessThan(0.03);
    expect(Math.abs(c.critique / n - MIX_DEFAULTS.critique)).toBeLessThan(0.03);
    expect(Math.abs(c.refinement / n - MIX_DEFAULTS.refinement)).toBeLessThan(0.02);
  });

  it('never draws a held-out question', () => {
    const rng = new Rng(8);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const text = questionText(coldStartExample(src, rng).prompt);
      expect(splits.heldOutTexts.has(text)).toBe(false);
      seen.add(text);
    }
    expect(seen.size).toBe(100 - 60); // and covers the rest of the 1-digit add space
  });

  it('skips exactly the working on critiques of correct responses, nothing otherwise', () => {
    for (const family of FAMILIES) {
      const rng = new Rng(10);
      const s = { ...src, family, digits: 2, exclude: new Set<string>() };
      let skipped = 0;
      for (let i = 0; i < 500; i++) {
        const ex = coldStartExample(s, rng);
        const target = encode(ex.target);
        const verdictAt = target.findIndex((t) => t === VOCAB.OK || t === VOCAB.BAD);
        if (kind(ex.prompt) === 'critique' && target[verdictAt] === VOCAB.OK) {
          const response = ex.prompt.slice(ex.prompt.indexOf(S.R) + S.R.length, ex.prompt.indexOf(S.C));
          expect(ex.target.startsWith(response)).toBe(true); // working = the (correct) response
          // The skip covers the recomputed answer's digit tokens exactly; what follows still trains.
          const digits = target.findIndex((t) => t < VOCAB.DIGIT0 || t > VOCAB.DIGIT0 + 9);
          expect(ex.skip).toBe(digits);
          expect(ex.skip).toBe(response.length);
          expect(ex.skip).toBeLessThan(verdictAt);
          expect(ex.skip).toBeGreaterThan(0);
          skipped++;
        } else {
          expect(ex.skip).toBe(0);
        }
      }
      expect(skipped).toBeGreaterThan(50);
    }
  });
});
