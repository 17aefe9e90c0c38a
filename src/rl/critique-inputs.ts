// How (question, response) pairs reach the critic (SPEC §3, §5.1): data filter + cache, random sampling, static pairs.
import type { Rng } from '../util/rng.js';
import { pick as pickNamed } from '../util/schema.js';
import type { Metrics } from './rewards.js';

/** Anything with a verifier label; the functions below keep the caller's richer objects intact. */
export interface Labelled {
  ok: boolean;
}

/** One first-order response; groups are `Rollout1[][]`, one array per question. */
export interface Rollout1 extends Labelled {
  questionId: number;
  responseId: number;
}

/** Share of pairs whose response is truly correct (0 for none). */
export function labelRatio(pairs: readonly Labelled[]): number {
  return pairs.length ? pairs.filter((x) => x.ok).length / pairs.length : 0;
}

const pick = <T>(xs: readonly T[], rng: Rng): T => xs[rng.int(xs.length)] as T;

/** `k` distinct indices of `0..n-1` in random order (partial Fisher–Yates); k ≤ n. */
function distinctIndices(n: number, k: number, rng: Rng): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx.slice(0, k);
}

/**
 * §3 data filter. `groups: [Q][n]` → `[pairs [2·kept], metrics]`: for each question with both outcomes,
 * one random correct then one random wrong response; all-correct / all-wrong (and empty) groups give none.
 */
export function dataFilter<T extends Labelled = Rollout1>(
  groups: readonly (readonly T[])[],
  rng: Rng,
): [T[], Metrics] {
  const pairs: T[] = [];
  let kept = 0;
  let allCorrect = 0;
  let allWrong = 0;
  let empty = 0;
  for (const g of groups) {
    const right = g.filter((x) => x.ok);
    const wrong = g.filter((x) => !x.ok);
    if (!g.length) empty++;
    else if (!wrong.length) allCorrect++;
    else if (!right.length) allWrong++;
    else {
      pairs.push(pick(right, rng), pick(wrong, rng));
      kept++;
    }
  }
  return [
    pairs,
    {
      'filter/kept_questions': kept,
      'filter/dropped_all_correct': allCorrect,
      'filter/dropped_all_wrong': allWrong,
      'filter/dropped_empty': empty,
      'filter/pairs': pairs.length,
      'critic/label_ratio': labelRatio(pairs),
    },
  ];
}

/**
 * §5.1 random sampling. `groups: [Q][n]` → `[pairs [min(count, Q·n)], metrics]`: drawn uniformly without
 * replacement from all first-order responses, no balance, so the label ratio follows the batch accuracy p.
 * Asking for more than there are returns them all (shuffled).
 */
export function randomSampling<T extends Labelled = Rollout1>(
  groups: readonly (readonly T[])[],
  count: number,
  rng: Rng,
): [T[], Metrics] {
  const all = groups.flat() as T[];
  const pairs = distinctIndices(all.length, Math.min(count, all.length), rng).map((i) => all[i] as T);
  return [
    pairs,
    {
      'random/pairs': pairs.length,
      'random/pool': all.length,
      'random/pool_label_ratio': labelRatio(all),
      'critic/label_ratio': labelRatio(pairs),
    },
  ];
}

/**
 * C-RL static (§5.3): from responses sampled before training (`groups: [Q][~10]`), 1 correct + 1
 * incorrect per question that has both — the data filter run once; metrics under `static/`.
 */
export function staticBalancedPairs<T extends Labelled = Rollout1>(
  groups: readonly (readonly T[])[],
  rng: Rng,
): [T[], Metrics] {
  const [pairs, m] = dataFilter(groups, rng);
  const renamed = Object.fromEntries(
    Object.entries(m).map(([k, v]) => [k.replace(/^filter\//, 'static/'), v]),
  );
  return [pairs, renamed];
}

export type CacheSampling = 'uniform' | 'recent';

/**
 * The question–response cache fed by the data filter: holds at most `capacity` pairs, evicting the
 * oldest first (FIFO). Sampling does not remove pairs.
 */
export class QuestionResponseCache<T extends Labelled = Rollout1> {
  private items: T[] = [];
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`QuestionResponseCache: capacity must be an integer ≥ 1 (got ${capacity})`);
  }
  get size(): number {
    return this.items.length;
  }
  get labelRatio(): number {
    return labelRatio(this.items);
  }
  /** Oldest first. */
  contents(): readonly T[] {
    return this.items;
  }
  /** Appends `pairs` in order; returns how many old pairs were evicted. */
  add(pairs: readonly T[]): number {
    this.items.push(...pairs);
    const over = Math.max(0, this.items.length - this.capacity);
    this.items.splice(0, over);
    return over;
  }
  /**
   * `n` pairs → `[pairs [n], metrics]` (none when empty). 'uniform': uniformly at random; 'recent': the
   * n newest (newest first). Without replacement while n ≤ size; beyond that, every pair once and the
   * rest drawn uniformly with replacement (`cache/replaced` counts those).
   */
  sample(n: number, rng: Rng, policy: CacheSampling = 'uniform'): [T[], Metrics] {
    const size = this.items.length;
    const k = Math.min(n, size);
    const first =
      policy === 'recent' ? Array.from({ length: k }, (_, i) => size - 1 - i) : distinctIndices(size, k, rng);
    const out = first.map((i) => this.items[i] as T);
    const replaced = size ? n - k : 0;
    for (let i = 0; i < replaced; i++) out.push(pick(this.items, rng));
    return [
      out,
      {
        'cache/size': size,
        'cache/label_ratio': this.labelRatio,
        'cache/replaced': replaced,
        'critic/label_ratio': labelRatio(out),
      },
    ];
  }
}

/**
 * A critique input: `select` turns one step's first-order groups into pairs. `cached`: the pairs go
 * into the question–response cache and the critic's `count` pairs are sampled from it (the filter keeps
 * every balanced pair and ignores `count`). `weighted`: the caller scores critiques with Eq. 3 (p from
 * a RunningMean) instead of the reward table.
 */
export interface CritiqueInput {
  cached: boolean;
  weighted: boolean;
  select: <T extends Labelled>(groups: readonly (readonly T[])[], count: number, rng: Rng) => [T[], Metrics];
}

export const CRITIQUE_INPUTS = {
  filter: { cached: true, weighted: false, select: (groups, _count, rng) => dataFilter(groups, rng) },
  random: { cached: false, weighted: false, select: randomSampling },
  randomReweight: { cached: false, weighted: true, select: randomSampling },
} satisfies Record<string, CritiqueInput>;
export type CritiqueInputName = keyof typeof CRITIQUE_INPUTS;

/** The named critique input (own names only); the error lists the valid names. */
export const critiqueInput = (name: string): CritiqueInput =>
  pickNamed(CRITIQUE_INPUTS, name, 'critique input');
