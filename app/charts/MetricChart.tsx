// Generic live line chart: one line per (run × metric) on a shared step axis, in an exportable card.
import { memo } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartCard } from './ChartCard';
import { isSmoothed, mergeForChart, rawKey } from './downsample';
import type { LegendEntry } from './exportChart';
import { dashFor, formatValue, METRIC_PALETTE } from './format';
import { type ChartDatum, type LineSpec, type RunSeries, seriesKey } from './types';
import { useLiveData } from './useLiveData';

/** Height of the plot area of every chart card, in px. */
export const CHART_HEIGHT = 220;

export interface MetricChartProps {
  testId: string;
  title: string;
  help: string;
  series: readonly RunSeries[];
  lines: readonly LineSpec[];
  /** Y range; default [0, 1] when `percent`, else 'auto'. */
  yDomain?: [number, number] | 'auto';
  /** Values are fractions in 0..1: ticks and tooltips show percents. */
  percent?: boolean;
  /** Most points per run (default 300). */
  maxPoints?: number;
  /** Unit shown in tooltips, e.g. "ms". */
  unit?: string;
  /** Horizontal reference lines, e.g. 0.5 for a balanced label ratio. */
  referenceLines?: readonly { y: number; label?: string }[];
  /** Line colour: the run's colour (default), the metric's, or 'auto' = by metric when there is one run. */
  colorBy?: 'run' | 'metric' | 'auto';
  /** EMA weight for per-batch lines (0 = raw); the raw line is drawn faint behind the smoothed one. */
  smoothing?: number;
}

interface DrawnLine {
  dataKey: string;
  name: string;
  color: string;
  dash: string;
  width: number;
  /** A smoothed line's raw values: thin, faint, behind, not in the legend. */
  raw?: boolean;
}

/** The lines to draw: every run × every metric, with its legend text, colour and dash. */
export function drawnLines(
  series: readonly RunSeries[],
  lines: readonly LineSpec[],
  colorBy: 'run' | 'metric' | 'auto' = 'run',
): DrawnLine[] {
  const byMetric = colorBy === 'metric' || (colorBy === 'auto' && series.length === 1);
  return series.flatMap((run) =>
    lines.map((line, i) => ({
      dataKey: seriesKey(run.id, line.key),
      name: `${run.label} · ${line.name}`,
      color: byMetric ? METRIC_PALETTE[i % METRIC_PALETTE.length] : run.color,
      dash: dashFor(i, line.dash),
      width: line.width ?? 2,
    })),
  );
}

/** The raw lines behind the smoothed ones (none without smoothing), first so they draw underneath. */
export function rawLines(
  series: readonly RunSeries[],
  lines: readonly LineSpec[],
  drawn: readonly DrawnLine[],
  smoothing: number,
): DrawnLine[] {
  return series.flatMap((run, r) =>
    lines.flatMap((line, i) => {
      const d = drawn[r * lines.length + i];
      if (!d || !isSmoothed(line.key, smoothing)) return [];
      return [
        { ...d, dataKey: rawKey(run.id, line.key), name: `${d.name} (raw)`, dash: '', width: 1, raw: true },
      ];
    }),
  );
}

/**
 * The legend under a chart: with one run, one entry per metric (its colour and dash); with several
 * runs and several metrics, one entry per metric in the text colour (dash only), the run colours
 * being named once above the grid; with several runs and one metric, one entry per run.
 */
export function legendEntries(
  series: readonly RunSeries[],
  lines: readonly LineSpec[],
  drawn: readonly DrawnLine[],
): LegendEntry[] {
  if (series.length <= 1)
    return drawn.map((d, i) => ({ name: lines[i]?.name ?? d.name, color: d.color, dash: d.dash }));
  if (lines.length === 1) return series.map((r) => ({ name: r.label, color: r.color }));
  return lines.map((l, i) => ({ name: l.name, color: 'currentColor', dash: dashFor(i, l.dash) }));
}

/** Rough legend row count at a typical card width (~420px, ~7px per 13px character, 30px per icon). */
export function legendRows(names: readonly string[]): number {
  const px = names.reduce((sum, n) => sum + 36 + 7 * n.length, 0);
  return Math.max(1, Math.ceil(px / 420));
}

export function MetricChart({
  testId,
  title,
  help,
  series,
  lines,
  yDomain,
  percent = false,
  maxPoints = 300,
  unit = '',
  referenceLines = [],
  colorBy = 'run',
  smoothing = 0,
}: MetricChartProps) {
  const keys = lines.map((l) => l.key);
  const scales: Record<string, number> = {};
  for (const l of lines) scales[l.key] = l.scale ?? 1;
  // Recomputed only on screen and when this chart's own rows (or its settings) changed.
  const [ref, data] = useLiveData(series, keys, `${JSON.stringify(scales)}/${maxPoints}/${smoothing}`, (s) =>
    mergeForChart(s, keys, maxPoints, scales, smoothing),
  );
  const drawn = drawnLines(series, lines, colorBy);
  const all = [...rawLines(series, lines, drawn, smoothing), ...drawn];
  const legend = legendEntries(series, lines, drawn);
  const domain = yDomain === 'auto' || (!yDomain && !percent) ? 'auto' : JSON.stringify(yDomain ?? [0, 1]);
  const look = JSON.stringify({
    all,
    domain,
    percent,
    unit,
    referenceLines,
    fixed: Array.isArray(yDomain),
    ticks: percent && !yDomain,
  });
  return (
    <ChartCard
      testId={testId}
      title={title}
      help={help}
      empty={data.length === 0}
      legend={legend}
      nodeRef={ref}
    >
      <Plot data={data} look={look} />
    </ChartCard>
  );
}

interface Look {
  all: DrawnLine[];
  domain: string;
  percent: boolean;
  unit: string;
  referenceLines: { y: number; label?: string }[];
  fixed: boolean;
  ticks: boolean;
}

/** The recharts tree; re-renders only for new data or a new look (memo on identity and a JSON key). */
const Plot = memo(function Plot({ data, look }: { data: ChartDatum[]; look: string }) {
  const { all, domain, percent, unit, referenceLines, fixed, ticks } = JSON.parse(look) as Look;
  const fmt = (v: unknown) => formatValue(Number(v), percent, unit);
  const height = CHART_HEIGHT;
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 480, height }}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
        <YAxis
          domain={domain === 'auto' ? ['auto', 'auto'] : (JSON.parse(domain) as [number, number])}
          width={56}
          tickFormatter={(v: number) => formatValue(v, percent)}
          ticks={ticks ? [0, 0.25, 0.5, 0.75, 1] : undefined}
          allowDataOverflow={fixed}
        />
        <Tooltip
          formatter={fmt}
          labelFormatter={(l) => `step ${String(l)}`}
          contentStyle={{ background: 'var(--bg)', borderColor: 'var(--border)', color: 'var(--fg)' }}
        />
        {referenceLines.map((r) => (
          <ReferenceLine
            key={r.y}
            y={r.y}
            strokeDasharray="4 4"
            className="chart-reference"
            label={r.label ? { value: r.label, position: 'insideTopRight' } : undefined}
          />
        ))}
        {all.map((d) => (
          <Line
            key={d.dataKey}
            dataKey={d.dataKey}
            name={d.name}
            stroke={d.color}
            strokeOpacity={d.raw ? 0.25 : 1}
            strokeDasharray={d.dash || undefined}
            strokeWidth={d.width}
            type="linear"
            dot={false}
            activeDot={d.raw ? false : undefined}
            connectNulls
            isAnimationActive={false}
            legendType={d.raw ? 'none' : 'plainline'}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
});
