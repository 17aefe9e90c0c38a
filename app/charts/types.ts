// Shared input types for the live charts: one run's per-step metric rows plus how to draw it.
import type { Metrics } from '../../src/rl/rewards.js';

/** One training step's flat, namespaced metrics (`gen/acc`, `eval/critic/f1`, …); always has `step`. */
export type Row = Metrics;

/** One run to draw: its rows (ascending by step) and the legend text and colour that identify it. */
export interface RunSeries {
  /** Run id; used in the merged data keys `${id}:${metricKey}`. */
  id: string;
  /** Legend text naming the run's differing settings, e.g. "random + reweight". */
  label: string;
  /** CSS colour for this run. */
  color: string;
  /** Ascending by step; may be thousands long. */
  rows: readonly Row[];
}

/** One metric drawn as a line for every run. */
export interface LineSpec {
  /** Metric key in the rows, e.g. `critic/f1`. */
  key: string;
  /** Legend text for the metric, e.g. "F1". */
  name: string;
  /** SVG stroke-dasharray; when absent a pattern is picked by the line's position. */
  dash?: string;
  /** Multiply values by this before plotting (e.g. 1000 for seconds → ms). */
  scale?: number;
  /** Stroke width in px (default 2). */
  width?: number;
}

/** One point of recharts data: the x value plus `${runId}:${metricKey}` fields. */
export type ChartDatum = { step: number } & Record<string, number>;

/** The merged data key of one run's metric. */
export function seriesKey(runId: string, metricKey: string): string {
  return `${runId}:${metricKey}`;
}
