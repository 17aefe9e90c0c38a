// Keeps live charts fast: thins thousands of per-step rows to a few hundred points and merges runs onto one step axis.
import { ema } from './smooth';
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

/** Rows of `run` that carry at least one of `keys` as a finite number (and a finite step). */
function relevantRows(run: RunSeries, keys: readonly string[]): Row[] {
  return run.rows.filter((r) => isFiniteNumber(r.step) && keys.some((k) => isFiniteNumber(r[k])));
}

/**
 * A cheap fingerprint of what a chart of `keys` would draw for `series`: per run its id, how many rows
 * carry the keys and the last such step. Unchanged fingerprint = unchanged chart (rows only grow).
 */
export function chartSignature(series: readonly RunSeries[], keys: readonly string[]): string {
  return series
    .map((run) => {
      let n = 0;
      let last = Number.NaN;
      for (const r of run.rows)
        if (keys.some((k) => isFiniteNumber(r[k]))) {
          n++;
          last = r.step;
        }
      return `${run.id}:${n}:${last}`;
    })
    .join('|');
}

/** The merged data key of a smoothed line's raw values (drawn faint behind it). */
export const rawKey = (runId: string, metricKey: string): string => `${seriesKey(runId, metricKey)}~raw`;

/** Per-batch keys get smoothed; held-out `eval/…` keys are sparse averages already and stay raw. */
export const isSmoothed = (metricKey: string, smoothing: number): boolean =>
  smoothing > 0 && !metricKey.startsWith('eval/');

/**
 * Recharts data for several runs on one step axis: one object per step with `${runId}:${metricKey}` fields.
 * Each run keeps only rows that carry one of `keys`, downsampled to `maxPoints`; values are multiplied by
 * `scales[key]` when given. Missing values are left out (draw with `connectNulls`). With `smoothing` > 0,
 * per-batch keys hold the EMA (over every row, before thinning) and `rawKey` fields the raw values.
 */
export function mergeForChart(
  series: readonly RunSeries[],
  keys: readonly string[],
  maxPoints = 300,
  scales: Readonly<Record<string, number>> = {},
  smoothing = 0,
): ChartDatum[] {
  const evalKeys = keys.filter((k) => k.startsWith('eval/'));
  // Eval rows need protecting only when the chart mixes dense batch keys with sparse held-out keys.
  const isSparse =
    evalKeys.length > 0 && evalKeys.length < keys.length
      ? (row: Row) => evalKeys.some((k) => isFiniteNumber(row[k]))
      : () => false;
  const smoothKeys = keys.filter((k) => isSmoothed(k, smoothing));
  const byStep = new Map<number, ChartDatum>();
  for (const run of series) {
    const relevant = relevantRows(run, keys);
    const index = new Map(relevant.map((r, i) => [r, i]));
    const smoothed = new Map(
      smoothKeys.map((k) => [
        k,
        ema(
          relevant.map((r) => (isFiniteNumber(r[k]) ? r[k] : Number.NaN)),
          smoothing,
        ),
      ]),
    );
    for (const row of downsample(relevant, maxPoints, isSparse)) {
      let datum = byStep.get(row.step);
      if (!datum) {
        datum = { step: row.step } as ChartDatum;
        byStep.set(row.step, datum);
      }
      for (const key of keys) {
        const v = row[key];
        if (!isFiniteNumber(v)) continue;
        const scale = scales[key] ?? 1;
        const sm = smoothed.get(key);
        if (sm) {
          datum[seriesKey(run.id, key)] = (sm[index.get(row) ?? 0] as number) * scale;
          datum[rawKey(run.id, key)] = v * scale;
        } else datum[seriesKey(run.id, key)] = v * scale;
      }
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}
