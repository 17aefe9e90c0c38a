// Keeps live charts fast: thins thousands of per-step rows to a few hundred points and merges runs onto one step axis.
import { type ChartDatum, type Row, type RunSeries, seriesKey } from './types';

/** True when the row carries any held-out `eval/…` metric (those rows are sparse: every K steps). */
export function hasEvalKey(row: Row): boolean {
  for (const key in row) if (key.startsWith('eval/')) return true;
  return false;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Indices `count` evenly spread over `from` (all of them when count ≥ from.length). */
function spread(from: readonly number[], count: number): number[] {
  if (count >= from.length) return from.slice();
  const out: number[] = [];
  for (let j = 0; j < count; j++) out.push(from[Math.floor(((j + 0.5) * from.length) / count)]);
  return out;
}

/**
 * Returns at most `maxPoints` rows in step order: always the first and last row, then up to half the
 * remaining budget for sparse rows (by default rows with `eval/` keys, so held-out points survive),
 * and the rest one row per equal-width step bucket (the last row of each bucket).
 */
export function downsample(
  rows: readonly Row[],
  maxPoints: number,
  isSparse: (row: Row) => boolean = hasEvalKey,
): Row[] {
  const n = rows.length;
  const max = Math.floor(maxPoints);
  if (n === 0 || !(max > 0)) return [];
  if (n <= max) return rows.slice();
  if (max === 1) return [rows[n - 1]];

  const keep = new Set<number>([0, n - 1]);
  const sparse: number[] = [];
  for (let i = 1; i < n - 1; i++) if (isSparse(rows[i])) sparse.push(i);
  const sparseBudget = Math.min(sparse.length, Math.floor((max - 2) / 2));
  for (const i of spread(sparse, sparseBudget)) keep.add(i);

  const budget = max - 2 - sparseBudget;
  if (budget > 0) {
    const s0 = rows[0].step;
    const span = rows[n - 1].step - s0;
    const byStep = Number.isFinite(span) && span > 0;
    const lastInBucket = new Array<number>(budget).fill(-1);
    for (let i = 1; i < n - 1; i++) {
      if (keep.has(i)) continue;
      const frac = byStep ? (rows[i].step - s0) / span : i / (n - 1);
      const b = Math.min(budget - 1, Math.max(0, Math.floor((Number.isFinite(frac) ? frac : 0) * budget)));
      lastInBucket[b] = i;
    }
    for (const i of lastInBucket) if (i >= 0) keep.add(i);
  }
  return [...keep].sort((a, b) => a - b).map((i) => rows[i]);
}

/**
 * Recharts data for several runs on one step axis: one object per step with `${runId}:${metricKey}` fields.
 * Each run keeps only rows that carry one of `keys`, downsampled to `maxPoints`; values are multiplied by
 * `scales[key]` when given. Missing values are left out (draw with `connectNulls`).
 */
export function mergeForChart(
  series: readonly RunSeries[],
  keys: readonly string[],
  maxPoints = 300,
  scales: Readonly<Record<string, number>> = {},
): ChartDatum[] {
  const evalKeys = keys.filter((k) => k.startsWith('eval/'));
  // Eval rows need protecting only when the chart mixes dense batch keys with sparse held-out keys.
  const isSparse =
    evalKeys.length > 0 && evalKeys.length < keys.length
      ? (row: Row) => evalKeys.some((k) => isFiniteNumber(row[k]))
      : () => false;
  const byStep = new Map<number, ChartDatum>();
  for (const run of series) {
    const relevant = run.rows.filter((r) => isFiniteNumber(r.step) && keys.some((k) => isFiniteNumber(r[k])));
    for (const row of downsample(relevant, maxPoints, isSparse)) {
      let datum = byStep.get(row.step);
      if (!datum) {
        datum = { step: row.step } as ChartDatum;
        byStep.set(row.step, datum);
      }
      for (const key of keys) {
        const v = row[key];
        if (isFiniteNumber(v)) datum[seriesKey(run.id, key)] = v * (scales[key] ?? 1);
      }
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
