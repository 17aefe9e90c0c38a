// Critique metrics as pure functions of (truth, verdict) records: accuracy, precision, recall,
// F1, α, β, confusion matrix, verdict and format rates, right-verdict-wrong-working rate.
import type { Verdict } from '../lm/formats.js';

export interface CritiqueRecord {
  truth: boolean; // the response was correct
  verdict: Verdict; // what the critic said ('none': no parsable verdict)
  formatOk: boolean; // the critique parsed cleanly (status 'ok')
  workingRight: boolean; // the critic's recomputed answer is the true answer
}

export interface CritiqueStats {
  n: number;
  acc: number; // right verdicts / all (a missing verdict is wrong)
  precision: number; // P(response correct | verdict correct)
  recall: number; // P(verdict correct | response correct) = α
  f1: number;
  alpha: number; // P(verdict correct | response correct)
  beta: number; // P(verdict wrong | response wrong)
  labelRatio: number; // share of correct responses among the inputs
  verdictRate: number; // share with a parsable verdict
  formatRate: number; // share that parsed cleanly
  rightVerdictWrongWorking: number; // among right verdicts, share whose working is wrong
  confusion: { tp: number; fn: number; fp: number; tn: number; noneOnCorrect: number; noneOnWrong: number };
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : Number.NaN);

/** Positive class: "the response is correct" (the paper's convention). */
export function critiqueStats(records: readonly CritiqueRecord[]): CritiqueStats {
  const c = { tp: 0, fn: 0, fp: 0, tn: 0, noneOnCorrect: 0, noneOnWrong: 0 };
  let formatOk = 0;
  let right = 0;
  let rightWrongWorking = 0;
  for (const r of records) {
    if (r.truth) {
      if (r.verdict === 'correct') c.tp++;
      else if (r.verdict === 'wrong') c.fn++;
      else c.noneOnCorrect++;
    } else if (r.verdict === 'correct') c.fp++;
    else if (r.verdict === 'wrong') c.tn++;
    else c.noneOnWrong++;
    const isRight = (r.truth && r.verdict === 'correct') || (!r.truth && r.verdict === 'wrong');
    if (isRight) {
      right++;
      if (!r.workingRight) rightWrongWorking++;
    }
    if (r.formatOk) formatOk++;
  }
  const n = records.length;
  const positives = c.tp + c.fn + c.noneOnCorrect;
  const negatives = n - positives;
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, positives);
  return {
    n,
    acc: ratio(right, n),
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : ratio(2 * precision * recall, precision + recall),
    alpha: recall,
    beta: ratio(c.tn, negatives),
    labelRatio: ratio(positives, n),
    verdictRate: ratio(n - c.noneOnCorrect - c.noneOnWrong, n),
    formatRate: ratio(formatOk, n),
    rightVerdictWrongWorking: ratio(rightWrongWorking, right),
    confusion: c,
  };
}
