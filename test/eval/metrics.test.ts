// Critique metrics on hand-built records with known confusion counts, including missing verdicts and empty input.
import { describe, expect, it } from 'vitest';
import { type CritiqueRecord, critiqueStats } from '../../src/eval/metrics.js';
import type { Verdict } from '../../src/lm/formats.js';

const rec = (truth: boolean, verdict: Verdict, formatOk = verdict !== 'none', workingRight = true) => ({
  truth,
  verdict,
  formatOk,
  workingRight,
});

// tp 3, fn 1, noneOnCorrect 1 | fp 1, tn 4, noneOnWrong 1 -> n 11, positives 5, negatives 6.
const records: CritiqueRecord[] = [
  rec(true, 'correct'),
  rec(true, 'correct', false), // right verdict, badly formatted
  rec(true, 'correct', true, false), // right verdict, wrong working
  rec(true, 'wrong', true, false), // wrong verdict, wrong working: not counted
  rec(true, 'none'),
  rec(false, 'correct'),
  rec(false, 'wrong'),
  rec(false, 'wrong'),
  rec(false, 'wrong', true, false), // right verdict, wrong working
  rec(false, 'wrong'),
  rec(false, 'none', false, false),
];

describe('critiqueStats', () => {
  const s = critiqueStats(records);

  it('counts the confusion matrix, with missing verdicts apart', () => {
    expect(s.n).toBe(11);
    expect(s.confusion).toEqual({ tp: 3, fn: 1, fp: 1, tn: 4, noneOnCorrect: 1, noneOnWrong: 1 });
  });

  it('computes every rate exactly', () => {
    expect(s.acc).toBeCloseTo(7 / 11, 12); // 'none' counts as wrong
    expect(s.precision).toBeCloseTo(3 / 4, 12);
    expect(s.recall).toBeCloseTo(3 / 5, 12); // none-on-correct is in the denominator
    expect(s.alpha).toBe(s.recall);
    expect(s.beta).toBeCloseTo(4 / 6, 12);
    expect(s.f1).toBeCloseTo((2 * 0.75 * 0.6) / (0.75 + 0.6), 12);
    expect(s.labelRatio).toBeCloseTo(5 / 11, 12);
    expect(s.verdictRate).toBeCloseTo(9 / 11, 12);
    expect(s.formatRate).toBeCloseTo(8 / 11, 12);
    expect(s.rightVerdictWrongWorking).toBeCloseTo(2 / 7, 12);
  });

  it('gives perfect scores to a perfect critic', () => {
    const p = critiqueStats([rec(true, 'correct'), rec(false, 'wrong'), rec(false, 'wrong')]);
    expect([p.acc, p.precision, p.recall, p.f1, p.beta, p.verdictRate, p.formatRate]).toEqual([
      1, 1, 1, 1, 1, 1, 1,
    ]);
    expect(p.rightVerdictWrongWorking).toBe(0);
    expect(p.labelRatio).toBeCloseTo(1 / 3, 12);
  });

  it('treats all-none verdicts as all wrong', () => {
    const p = critiqueStats([rec(true, 'none'), rec(false, 'none')]);
    expect(p.acc).toBe(0);
    expect(p.recall).toBe(0);
    expect(p.beta).toBe(0);
    expect(p.verdictRate).toBe(0);
    expect(p.precision).toBeNaN(); // no 'correct' verdicts at all
    expect(p.rightVerdictWrongWorking).toBeNaN();
    expect(p.confusion).toMatchObject({ noneOnCorrect: 1, noneOnWrong: 1, tp: 0, tn: 0 });
  });

  it('gives NaN rates on empty input, without throwing', () => {
    const e = critiqueStats([]);
    expect(e.n).toBe(0);
    for (const k of [
      'acc',
      'precision',
      'recall',
      'f1',
      'alpha',
      'beta',
      'labelRatio',
      'verdictRate',
      'formatRate',
      'rightVerdictWrongWorking',
    ] as const) {
      expect(e[k]).toBeNaN();
    }
    expect(e.confusion).toEqual({ tp: 0, fn: 0, fp: 0, tn: 0, noneOnCorrect: 0, noneOnWrong: 0 });
  });
});
