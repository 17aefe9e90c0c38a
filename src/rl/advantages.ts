// Group-relative advantage estimators (GRPO, Dr. GRPO, RLOO, MC-GRPO median) and the two groupings of SPEC §3.
import { pick } from '../util/schema.js';
import type { Metrics } from './rewards.js';

export interface AdvantageOptions {
  eps?: number; // GRPO's std guard: (r − mean)/(std + eps); default 1e-6
  skipZeroVariance?: boolean; // mark groups whose rewards are all equal as not kept
}

/**
 * `rewards: [G][n_g]` (one array per group, sizes may differ) → `[advantages [G][n_g], metrics, kept [G]]`.
 * A zero-variance group (all rewards equal, including a singleton) gets advantage 0 everywhere and
 * counts in `adv/zero_var_groups`; `kept[g]` is false for it only with `skipZeroVariance` (the caller
 * then drops its samples from the update), true otherwise.
 */
export type AdvantageFn = (
  rewards: readonly (readonly number[])[],
  opts?: AdvantageOptions,
) => [advantages: number[][], metrics: Metrics, kept: boolean[]];

/** One group's advantages; only called on groups with n ≥ 2 and non-zero variance. */
type GroupFn = (r: readonly number[], eps: number) => number[];

export const GRPO_EPS = 1e-6;

const mean = (r: readonly number[]): number => r.reduce((a, b) => a + b, 0) / r.length;

/** Unbiased (n − 1) standard deviation, as `torch.std` (and hence verl's GRPO) computes by default. */
export function sampleStd(r: readonly number[]): number {
  if (r.length < 2) return 0;
  const m = mean(r);
  return Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / (r.length - 1));
}

/** Median; for even n the mean of the two middle values. */
export function median(r: readonly number[]): number {
  const s = [...r].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** Largest and smallest value, by a loop (a spread overflows the stack on large arrays). */
export function extent(xs: readonly number[]): [max: number, min: number] {
  let hi = Number.NEGATIVE_INFINITY;
  let lo = Number.POSITIVE_INFINITY;
  for (const x of xs) {
    if (x > hi) hi = x;
    if (x < lo) lo = x;
  }
  return [hi, lo];
}

const isZeroVariance = (r: readonly number[]): boolean => {
  const [hi, lo] = extent(r);
  return r.length < 2 || hi - lo <= 1e-12;
};

function groupwise(fn: GroupFn): AdvantageFn {
  return (rewards, opts = {}) => {
    const eps = opts.eps ?? GRPO_EPS;
    let zeroVar = 0;
    const kept: boolean[] = [];
    const adv = rewards.map((r) => {
      const zv = isZeroVariance(r);
      if (zv) zeroVar++;
      kept.push(!(zv && opts.skipZeroVariance));
      return zv ? r.map(() => 0) : fn(r, eps);
    });
    const flat = adv.filter((_, g) => kept[g]).flat();
    const n = flat.length;
    const m = n ? flat.reduce((a, b) => a + b, 0) / n : 0;
    const [hi, lo] = extent(flat);
    return [
      adv,
      {
        'adv/groups': rewards.length,
        'adv/zero_var_groups': zeroVar,
        'adv/zero_var_frac': rewards.length ? zeroVar / rewards.length : 0,
        'adv/kept_groups': kept.filter(Boolean).length,
        'adv/mean': m,
        'adv/abs_mean': n ? flat.reduce((a, b) => a + Math.abs(b), 0) / n : 0,
        'adv/max': n ? hi : 0,
        'adv/min': n ? lo : 0,
      },
      kept,
    ];
  };
}

/** GRPO: (r − mean) / (std + eps), std the unbiased sample std. */
export const grpo: AdvantageFn = groupwise((r, eps) => {
  const m = mean(r);
  const s = sampleStd(r);
  return r.map((x) => (x - m) / (s + eps));
});

/** Dr. GRPO: r − mean, no std division (no difficulty bias from the std). */
export const drGrpo: AdvantageFn = groupwise((r) => {
  const m = mean(r);
  return r.map((x) => x - m);
});

/** RLOO: r_i − mean of the other n − 1 rewards = n/(n − 1) · (r_i − mean). */
export const rloo: AdvantageFn = groupwise((r) => {
  const n = r.length;
  const sum = r.reduce((a, b) => a + b, 0);
  return r.map((x) => x - (sum - x) / (n - 1));
});

/** MC-GRPO: r − median of the group (robust baseline for small groups). */
export const medianBaseline: AdvantageFn = groupwise((r) => {
  const m = median(r);
  return r.map((x) => x - m);
});

export const ADVANTAGES = { grpo, drGrpo, rloo, median: medianBaseline } satisfies Record<
  string,
  AdvantageFn
>;
export type AdvantageName = keyof typeof ADVANTAGES;

/** The named estimator (own names only: `constructor` is not one); the error lists the valid names. */
export const advantageFn = (name: string): AdvantageFn => pick(ADVANTAGES, name, 'advantage estimator');

/** SPEC §3's two groupings: each prompt its own group, or every reward of a step in one group. */
export const GROUPINGS = ['per-prompt', 'mixed'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** SPEC §3's literal "mixed into the same group": every reward of the step in one group. */
export function mixedGroup(groups: readonly (readonly number[])[]): number[][] {
  return [groups.flat()];
}

/** Cuts a flat array back into the shape of `like` (the inverse of flattening it). */
export function splitLike<T>(flat: readonly T[], like: readonly (readonly unknown[])[]): T[][] {
  const total = like.reduce((a, g) => a + g.length, 0);
  if (flat.length !== total) throw new Error(`splitLike: ${flat.length} values for ${total} slots`);
  let at = 0;
  return like.map((g) => {
    const part = flat.slice(at, at + g.length);
    at += g.length;
    return part;
  });
}

/**
 * Advantages under a grouping, always returned in the per-prompt shape `[G][n_g]`. 'per-prompt': each
 * group is its own baseline; 'mixed': one baseline over all G groups (kept[g] is then the mixed group's
 * flag for every g). `adv/mixed` records which grouping ran.
 */
export function groupedAdvantages(
  fn: AdvantageFn,
  rewards: readonly (readonly number[])[],
  grouping: Grouping,
  opts?: AdvantageOptions,
): [number[][], Metrics, boolean[]] {
  if (grouping === 'per-prompt') {
    const [a, m, kept] = fn(rewards, opts);
    return [a, { ...m, 'adv/mixed': 0 }, kept];
  }
  const [a, m, kept] = fn(mixedGroup(rewards), opts);
  return [splitLike(a[0] ?? [], rewards), { ...m, 'adv/mixed': 1 }, rewards.map(() => kept[0] ?? true)];
}
