// Task families, the LSD-first answer convention, and seeded disjoint train/held-out splits.
import { describe, expect, it } from 'vitest';
import {
  answerText,
  answerWidth,
  FAMILIES,
  formatAnswer,
  makeQuestion,
  makeSplits,
  padAnswer,
  parseAnswer,
  questionAt,
  questionSpaceSize,
  sampleQuestionOutside,
} from '../../src/lm/tasks.js';
import { Rng } from '../../src/util/rng.js';

describe('families', () => {
  it('computes hand-checked answers', () => {
    expect(makeQuestion('add', 37, 85)).toMatchObject({ text: '37+85=', answer: 122 });
    expect(makeQuestion('sub', 85, 37)).toMatchObject({ text: '85-37=', answer: 48 });
    expect(makeQuestion('sub', 5, 5).answer).toBe(0);
    expect(makeQuestion('mul1', 47, 6)).toMatchObject({ text: '47*6=', answer: 282 });
    expect(makeQuestion('mod', 47, 6)).toMatchObject({ text: '47%6=', answer: 5 });
    expect(makeQuestion('mod', 9, 3).answer).toBe(0);
  });

  it('rejects operands outside a family', () => {
    expect(() => makeQuestion('sub', 3, 5)).toThrow(/a ≥ b/);
    expect(() => makeQuestion('mul1', 3, 12)).toThrow(/one-digit/);
    expect(() => makeQuestion('mod', 3, 1)).toThrow(/modulus/);
    expect(() => makeQuestion('add', -1, 2)).toThrow(/non-negative/);
  });

  it('indexes each question space bijectively', () => {
    for (const f of FAMILIES) {
      const size = questionSpaceSize(f, 2);
      const texts = new Set(Array.from({ length: size }, (_, i) => questionAt(f, 2, i).text));
      expect(texts.size, f).toBe(size);
    }
    expect(questionSpaceSize('add', 2)).toBe(10000);
    expect(questionSpaceSize('sub', 1)).toBe(55);
    expect(questionSpaceSize('mul1', 3)).toBe(10000);
    expect(questionSpaceSize('mod', 2)).toBe(800);
    expect(() => questionSpaceSize('add', 0)).toThrow(/digits/);
  });
});

describe('LSD-first answers', () => {
  it('formats least-significant digit first', () => {
    expect(formatAnswer(122)).toBe('221');
    expect(formatAnswer(120)).toBe('021');
    expect(formatAnswer(7)).toBe('7');
    expect(formatAnswer(0)).toBe('0');
    expect(() => formatAnswer(-3)).toThrow(/non-negative/);
  });

  it('parses only canonical answers', () => {
    expect(parseAnswer('221')).toBe(122);
    expect(parseAnswer('021')).toBe(120);
    expect(parseAnswer('0')).toBe(0);
    for (const bad of ['', '0210', '00', '2 1', '-1', '12a', '<eos>'])
      expect(parseAnswer(bad), bad).toBeNull();
    for (let n = 0; n < 2000; n += 7) expect(parseAnswer(formatAnswer(n))).toBe(n);
  });
});

describe('makeSplits', () => {
  const opts = { family: 'add', digits: 2, trainSize: 512, heldOutSize: 256, seed: 1 } as const;

  it('returns sized, disjoint, duplicate-free sets', () => {
    const s = makeSplits(opts);
    expect(s.train).toHaveLength(512);
    expect(s.heldOut).toHaveLength(256);
    const train = new Set(s.train.map((q) => q.text));
    expect(train.size).toBe(512);
    expect(s.heldOutTexts.size).toBe(256);
    for (const t of train) expect(s.heldOutTexts.has(t)).toBe(false);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const texts = (seed: number) => makeSplits({ ...opts, seed }).train.map((q) => q.text);
    expect(texts(1)).toEqual(texts(1));
    expect(texts(2)).not.toEqual(texts(1));
  });

  it('works for every family and can use the whole space', () => {
    for (const f of FAMILIES) {
      const s = makeSplits({ family: f, digits: 1, trainSize: 30, heldOutSize: 10, seed: 3 });
      expect(s.train.length + s.heldOut.length).toBe(40);
    }
    const all = makeSplits({ family: 'sub', digits: 1, trainSize: 50, heldOutSize: 5, seed: 3 });
    expect(new Set([...all.train, ...all.heldOut].map((q) => q.text)).size).toBe(55);
  });

  it('handles large spaces (rejection sampling) and stays disjoint', () => {
    const s = makeSplits({ family: 'add', digits: 4, trainSize: 2000, heldOutSize: 500, seed: 9 });
    expect(new Set(s.train.map((q) => q.text)).size).toBe(2000);
    expect(s.train.some((q) => s.heldOutTexts.has(q.text))).toBe(false);
  });

  it('errors when the question space is too small', () => {
    expect(() => makeSplits({ family: 'sub', digits: 1, trainSize: 50, heldOutSize: 6, seed: 1 })).toThrow(
      /only 55 questions/,
    );
    expect(() => makeSplits({ ...opts, trainSize: -1 })).toThrow(/trainSize/);
  });

  it('errors when every question is excluded', () => {
    const s = makeSplits({ family: 'mul1', digits: 1, trainSize: 0, heldOutSize: 100, seed: 4 });
    expect(() => sampleQuestionOutside('mul1', 1, new Rng(1), s.heldOutTexts)).toThrow(
      /outside the excluded/,
    );
  });

  it('samples outside the held-out set', () => {
    const s = makeSplits({ family: 'mul1', digits: 1, trainSize: 0, heldOutSize: 90, seed: 4 });
    const rng = new Rng(5);
    for (let i = 0; i < 50; i++)
      expect(s.heldOutTexts.has(sampleQuestionOutside('mul1', 1, rng, s.heldOutTexts).text)).toBe(false);
  });
});

describe('fixed width', () => {
  it('pads operands and answers so every digit sits at a fixed position', () => {
    expect(questionAt('add', 2, 5)).toMatchObject({ text: '00+05=', answer: 5, width: 3 });
    expect(answerText(questionAt('add', 2, 5))).toBe('500');
    expect(answerText(makeQuestion('add', 37, 85))).toBe('221');
    expect(makeQuestion('sub', 85, 7, 2).text).toBe('85-07=');
    expect(makeQuestion('mul1', 3, 6, 2)).toMatchObject({ text: '03*6=', width: 3 });
    expect(makeQuestion('mod', 47, 6).width).toBe(1);
    expect(padAnswer(39, 3)).toBe('930');
    expect(() => padAnswer(1234, 3)).toThrow(/does not fit/);
    expect(() => makeQuestion('add', 123, 4, 2)).toThrow(/do not fit/);
    for (const f of FAMILIES) {
      const lens = new Set(Array.from({ length: 50 }, (_, i) => answerText(questionAt(f, 2, i * 3)).length));
      expect([...lens], f).toEqual([answerWidth(f, 2)]);
    }
  });
});
