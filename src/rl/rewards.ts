// The paper's rewards as pure functions (SPEC §3: Eqs. 1–6, Appendix C), so every table and constant is testable.
import type { Verdict } from '../lm/formats.js';
import { pick } from '../util/schema.js';

/** A flat metrics object with namespaced keys (`reward/…`, `critic/…`). */
export type Metrics = Record<string, number>;

/** Metric keys are snake_case: rightVerdictWrongWorking → right_verdict_wrong_working. */
export const snake = (k: string): string => k.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`);

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Eq. 1: R(o) = 1 if the verifier accepts the response, else 0. */
export function responseReward(ok: boolean): number {
  return ok ? 1 : 0;
}

/** Batch of Eq. 1. `oks: [N]` → `[rewards [N], metrics]`; `reward/response_mean` is the batch `p`. */
export function responseRewards(oks: readonly boolean[]): [number[], Metrics] {
  const r = oks.map(responseReward);
  return [r, { 'reward/response_mean': mean(r), 'reward/response_count': r.length }];
}

/**
 * The 2×2 critique reward table (+ missing verdict). "Right" means the verdict matches the truth:
 * `correctRight` — response truly correct, verdict 'correct'; `correctWrong` — truly correct, verdict
 * 'wrong' (a penalty; Eq. 2: 0); `wrongRight` — truly wrong, verdict 'wrong'; `wrongWrong` — truly
 * wrong, verdict 'correct' (a penalty); `missing` — no parsable verdict.
 */
export interface RewardTable {
  correctRight: number;
  correctWrong: number;
  wrongRight: number;
  wrongWrong: number;
  missing: number;
}

/** Eq. 2 (symmetric 0.7), Eq. 5 (lean to "wrong": 0.6 / 0.8) and Eq. 6 (lean to "correct": 0.8 / 0.6). */
export const REWARD_PRESETS = {
  symmetric: { correctRight: 0.7, correctWrong: 0, wrongRight: 0.7, wrongWrong: 0, missing: 0 },
  catchIncorrect: { correctRight: 0.6, correctWrong: 0, wrongRight: 0.8, wrongWrong: 0, missing: 0 },
  acceptCorrect: { correctRight: 0.8, correctWrong: 0, wrongRight: 0.6, wrongWrong: 0, missing: 0 },
} satisfies Record<string, RewardTable>;
export type RewardPresetName = keyof typeof REWARD_PRESETS;

/** A copy of a named preset; the error lists the valid names. */
export function rewardPreset(name: string): RewardTable {
  return { ...pick(REWARD_PRESETS, name, 'reward preset') }; // own names only
}

/** Eqs. 2, 5, 6 and user tables: R(c) for a response that is truly correct (`truth`) and a verdict. */
export function critiqueReward(table: RewardTable, truth: boolean, verdict: Verdict): number {
  if (verdict === 'none') return table.missing;
  if (truth) return verdict === 'correct' ? table.correctRight : table.correctWrong;
  return verdict === 'wrong' ? table.wrongRight : table.wrongWrong;
}

/**
 * Batch of `critiqueReward`. `truths, verdicts: [N]` → `[rewards [N], metrics]` with the mean reward,
 * the rate of right verdicts, of parsable verdicts, and the label ratio (share of truly correct responses).
 */
export function critiqueRewards(
  table: RewardTable,
  truths: readonly boolean[],
  verdicts: readonly Verdict[],
): [number[], Metrics] {
  sameLength(truths, verdicts);
  const r = truths.map((t, i) => critiqueReward(table, t, verdicts[i] as Verdict));
  return [r, { 'reward/critique_mean': mean(r), ...verdictStats(truths, verdicts) }];
}

/** `critic/right_rate`, `critic/verdict_rate`, `critic/label_ratio`, and the measured α, β (NaN when undefined). */
export function verdictStats(truths: readonly boolean[], verdicts: readonly Verdict[]): Metrics {
  let parsed = 0;
  let pos = 0;
  let alphaHits = 0;
  let betaHits = 0;
  truths.forEach((t, i) => {
    const v = verdicts[i];
    if (v !== 'none') parsed++;
    if (t) pos++;
    if (t && v === 'correct') alphaHits++;
    if (!t && v === 'wrong') betaHits++;
  });
  const right = alphaHits + betaHits;
  const n = truths.length;
  return {
    'critic/right_rate': n ? right / n : 0,
    'critic/verdict_rate': n ? parsed / n : 0,
    'critic/label_ratio': n ? pos / n : 0,
    'critic/alpha': pos ? alphaHits / pos : Number.NaN,
    'critic/beta': n - pos ? betaHits / (n - pos) : Number.NaN,
  };
}

/**
 * Eq. 3 clamps `p` into [WEIGHT_EPS, 1 − WEIGHT_EPS] so the weights `1/(2p)`, `1/(2(1−p))` stay
 * finite (at most 500: 350 for the symmetric table's 0.7) when a batch is all wrong or all right.
 */
export const WEIGHT_EPS = 1e-3;
const clampP = (p: number): number => Math.min(1 - WEIGHT_EPS, Math.max(WEIGHT_EPS, p));

/** Eq. 3's importance weight of a critique of a truly correct (`truth`) or wrong response: 1/(2·P(truth)). */
export function labelWeight(truth: boolean, p: number): number {
  const q = clampP(p);
  return truth ? 1 / (2 * q) : 1 / (2 * (1 - q));
}

/**
 * Eq. 3 generalised to any reward table: the table's reward for (truth, verdict) times the label's
 * importance weight, so a right verdict on a correct response earns `table.correctRight/(2p)`, on a
 * wrong response `table.wrongRight/(2(1−p))` — the paper's 0.35/p and 0.35/(1−p) with the symmetric
 * 0.7 table. Penalties (wrong verdicts) and the missing-verdict reward scale with the same weight as
 * the right verdict on a response of the same truth: the weight is a property of the label, not the
 * verdict, which keeps the expectation over labels drawn with ratio p equal to the balanced-set value
 * ½·E[R | correct] + ½·E[R | wrong] for every table (Appendix C). `p` = E[R(o)], a running mean.
 */
export function weightedCritiqueReward(
  table: RewardTable,
  truth: boolean,
  verdict: Verdict,
  p: number,
): number {
  return critiqueReward(table, truth, verdict) * labelWeight(truth, p);
}

/** Mean of `xs` over the indices where `keep` holds (NaN when there are none). */
const meanWhere = (xs: readonly number[], keep: (i: number) => boolean): number => {
  let s = 0;
  let n = 0;
  xs.forEach((x, i) => {
    if (keep(i)) {
      s += x;
      n++;
    }
  });
  return n ? s / n : Number.NaN;
};

/**
 * Batch of Eq. 3. `truths, verdicts: [N]` → `[rewards [N], metrics]`. `reward/critique_mean` estimates
 * the expectation, which for labels drawn with ratio p is the balanced value ½·(E[R|correct] +
 * E[R|wrong]) (for the symmetric table `0.7·(α+β)/2`, Appendix C); `reward/balanced_value` is that
 * value from this batch's table rewards (NaN without both labels); `reward/weight_correct|wrong` are
 * the rewards of a right verdict on a correct / wrong response at this p.
 */
export function weightedCritiqueRewards(
  table: RewardTable,
  truths: readonly boolean[],
  verdicts: readonly Verdict[],
  p: number,
): [number[], Metrics] {
  sameLength(truths, verdicts);
  const plain = truths.map((t, i) => critiqueReward(table, t, verdicts[i] as Verdict));
  const r = plain.map((x, i) => x * labelWeight(truths[i] as boolean, p));
  const stats = verdictStats(truths, verdicts);
  return [
    r,
    {
      'reward/critique_mean': mean(r),
      'reward/weight_p': clampP(p),
      'reward/weight_correct': table.correctRight * labelWeight(true, p),
      'reward/weight_wrong': table.wrongRight * labelWeight(false, p),
      'reward/balanced_value':
        (meanWhere(plain, (i) => truths[i] === true) + meanWhere(plain, (i) => truths[i] === false)) / 2,
      ...stats,
    },
  ];
}

/** Eq. 4's coefficients: R_q(c) = coef[v] · k/m. */
export const DENOISE_COEFS = { correct: 0.1, wrong: 0.7 } as const;

/**
 * Eq. 4 (§5.2): with `k` of `m` refinements of (q, o, c) correct, R_q(c) = 0.1·k/m if the verdict is
 * 'correct', 0.7·k/m if 'wrong', 0 with no verdict.
 */
export function denoisedReward(verdict: Verdict, k: number, m: number, coefs = DENOISE_COEFS): number {
  if (!Number.isInteger(m) || m < 1) throw new Error(`denoisedReward: m must be an integer ≥ 1 (got ${m})`);
  if (!Number.isInteger(k) || k < 0 || k > m)
    throw new Error(`denoisedReward: k must be in 0..${m} (got ${k})`);
  if (verdict === 'none') return 0;
  return (coefs[verdict] * k) / m;
}

/**
 * The final Eq. 4 reward R(c) + R_q(c). `base, verdicts, ks: [N]` → `[rewards [N], metrics]`;
 * `base` is any critique reward (table or Eq. 3).
 */
export function withDenoise(
  base: readonly number[],
  verdicts: readonly Verdict[],
  ks: readonly number[],
  m: number,
): [number[], Metrics] {
  sameLength(base, verdicts);
  sameLength(base, ks);
  const rq = verdicts.map((v, i) => denoisedReward(v, ks[i] as number, m));
  const r = base.map((b, i) => b + (rq[i] as number));
  return [
    r,
    {
      'reward/denoise_mean': mean(rq),
      'reward/refine_acc': base.length ? ks.reduce((a, b) => a + b, 0) / (base.length * m) : 0,
      'reward/critique_total_mean': mean(r),
    },
  ];
}

/**
 * Running estimate of p = E[R(o)]. `{ momentum: μ }`: an exponential moving average over batch means,
 * v ← μ·v + (1−μ)·mean(batch), the first batch setting v outright (no bias toward `initial`).
 * `{ window: W }`: the plain mean of the last W individual values. `value` is `initial` (default 0.5,
 * which makes Eq. 3's two weights equal) until the first non-empty update.
 */
export class RunningMean {
  private v: number;
  private seen = 0;
  private buf: number[] = [];
  constructor(
    private readonly opts: { momentum: number; initial?: number } | { window: number; initial?: number },
  ) {
    if ('momentum' in opts && !(opts.momentum >= 0 && opts.momentum < 1))
      throw new Error(`RunningMean: momentum must be in [0, 1) (got ${opts.momentum})`);
    if ('window' in opts && !(Number.isInteger(opts.window) && opts.window >= 1))
      throw new Error(`RunningMean: window must be an integer ≥ 1 (got ${opts.window})`);
    this.v = opts.initial ?? 0.5;
  }
  get value(): number {
    return this.v;
  }
  /** Number of values seen so far. */
  get count(): number {
    return this.seen;
  }
  update(values: number | readonly number[]): number {
    const xs = typeof values === 'number' ? [values] : values;
    if (!xs.length) return this.v;
    this.seen += xs.length;
    if ('window' in this.opts) {
      this.buf.push(...xs);
      if (this.buf.length > this.opts.window) this.buf.splice(0, this.buf.length - this.opts.window);
      this.v = mean(this.buf);
    } else {
      const m = mean(xs);
      this.v = this.seen === xs.length ? m : this.opts.momentum * this.v + (1 - this.opts.momentum) * m;
    }
    return this.v;
  }
}

/**
 * Appendix C, for any table whose critic always gives a verdict. With α = P(v=correct | response
 * correct), β = P(v=wrong | response wrong) and label ratio p, E[R | correct] = α·correctRight +
 * (1−α)·correctWrong and E[R | wrong] = β·wrongRight + (1−β)·wrongWrong. Unweighted random sampling
 * expects `p·E[R|correct] + (1−p)·E[R|wrong]` (symmetric table: 0.7·(p·α + (1−p)·β)); Eq. 3 expects
 * `½·(E[R|correct] + E[R|wrong])` (0.7·(α+β)/2), the balanced-set value. `pull = p − 1/2`: for the
 * symmetric table moving probability from α to β changes the unweighted expectation by 0.7·(1 − 2p)
 * per unit, so pull < 0 rewards saying "wrong" more (the paper's early p≈0.1), pull > 0 saying
 * "correct" more; the weighted expectation does not depend on p.
 */
export function predictedBias(
  { p, alpha, beta }: { p: number; alpha: number; beta: number },
  table: RewardTable = REWARD_PRESETS.symmetric,
): { unweighted: number; weighted: number; pull: number } {
  const onCorrect = alpha * table.correctRight + (1 - alpha) * table.correctWrong;
  const onWrong = beta * table.wrongRight + (1 - beta) * table.wrongWrong;
  return {
    unweighted: p * onCorrect + (1 - p) * onWrong,
    weighted: (onCorrect + onWrong) / 2,
    pull: p - 0.5,
  };
}

function sameLength(a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
}
