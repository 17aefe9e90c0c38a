// Paired effects between arms: the same seed's arm A − arm B, averaged over seeds, with a 95%
// Student-t interval and the one verdict rule shared by `gcrl repro` and the page's presets.

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularised incomplete beta (modified Lentz). */
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b), the regularised incomplete beta function. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  return x < (a + 1) / (a + b + 2) ? (front * betaCf(a, b, x)) / a : 1 - (front * betaCf(b, a, 1 - x)) / b;
}

/** Student t CDF with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (inverse CDF) for df ≥ 1, by bisection on the CDF to 1e-12. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be > 0, got ${df}`);
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export type Verdict = 'reproduces' | 'opposite' | 'inconclusive';

export interface PairedEffect {
  n: number; // seeds with both arms measured
  mean: number; // mean of (A − B) over those seeds
  sd: number; // sample sd of the differences (NaN below 2 seeds)
  lo: number; // 95% t-interval (NaN below 2 seeds)
  hi: number;
  verdict: Verdict;
}

/**
 * Seed-paired difference A − B (`a[i]` and `b[i]` are the same seed; non-finite pairs are left
 * out). `direction` is the paper's sign: +1 when it says A > B, −1 when A < B. The verdict is
 * *reproduces* when the 95% interval excludes 0 on the paper's side, *opposite* when it excludes
 * 0 on the other side, *inconclusive* otherwise (also with fewer than 2 seeds, or identical arms).
 */
export function pairedEffect(
  a: readonly number[],
  b: readonly number[],
  direction: 1 | -1,
  level = 0.95,
): PairedEffect {
  if (a.length !== b.length) throw new Error(`pairedEffect: ${a.length} A values but ${b.length} B values`);
  const d: number[] = [];
  a.forEach((x, i) => {
    const y = b[i] as number;
    if (Number.isFinite(x) && Number.isFinite(y)) d.push(x - y);
  });
  const n = d.length;
  const mean = n ? d.reduce((s, x) => s + x, 0) / n : Number.NaN;
  if (n < 2) return { n, mean, sd: Number.NaN, lo: Number.NaN, hi: Number.NaN, verdict: 'inconclusive' };
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  const [lo, hi] = [mean - half, mean + half];
  const side = lo > 0 ? 1 : hi < 0 ? -1 : 0;
  const verdict: Verdict = side === 0 ? 'inconclusive' : side === direction ? 'reproduces' : 'opposite';
  return { n, mean, sd, lo, hi, verdict };
}

/** "+2.9 [+0.4, +5.4]" in points (×100), or "+2.9 [n = 1]" when there is no interval. */
export function formatEffect(e: PairedEffect, scale = 100, digits = 1): string {
  const s = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(scale * x).toFixed(digits)}`;
  if (!Number.isFinite(e.mean)) return '–';
  if (!Number.isFinite(e.lo)) return `${s(e.mean)} [n = ${e.n}]`;
  return `${s(e.mean)} [${s(e.lo)}, ${s(e.hi)}]`;
}
