// Smoothing for noisy per-batch chart lines: TensorBoard's debiased exponential moving average.

/** Smoothing weights a user can pick: 0 (raw) up to 0.99. */
export const SMOOTHING_MAX = 0.99;
export const SMOOTHING_DEFAULT = 0.6;

/** Clamps a smoothing weight into [0, SMOOTHING_MAX]; anything not a number is 0 (no smoothing). */
export function clampSmoothing(w: unknown): number {
  const n = typeof w === 'number' ? w : Number(w);
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(SMOOTHING_MAX, n);
}

/**
 * The debiased EMA TensorBoard draws: `last = w·last + (1−w)·v`, divided by `1 − w^k` after k finite
 * values so the line starts at the first value instead of rising from 0. Non-finite values stay as they
 * are (a gap) and do not move the average; weight 0 returns the values unchanged.
 */
export function ema(values: readonly number[], weight: number): number[] {
  const w = clampSmoothing(weight);
  if (w === 0) return values.slice();
  let last = 0;
  let k = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = w * last + (1 - w) * v;
    k++;
    return last / (1 - w ** k);
  });
}
