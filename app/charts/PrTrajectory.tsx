// Shows how a run's critic trades precision against recall over training: one path per run, newest point big.
import { memo } from 'react';
import {
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartCard } from './ChartCard';
import { downsample } from './downsample';
import { formatValue } from './format';
import { CHART_HEIGHT } from './MetricChart';
import { ema } from './smooth';
import type { RunSeries } from './types';
import { useLiveData } from './useLiveData';

export interface PrPoint {
  step: number;
  recall: number;
  precision: number;
  /** The run's newest point (drawn bigger). */
  last: boolean;
}

/**
 * One run's (recall, precision) path in step order, thinned to `maxPoints`. Batch values are noisy:
 * with `smoothing` > 0 both coordinates are EMA-smoothed (over every row, before thinning).
 */
export function prPoints(
  run: RunSeries,
  source: 'batch' | 'eval',
  maxPoints: number,
  smoothing = 0,
): PrPoint[] {
  const prefix = source === 'eval' ? 'eval/critic/' : 'critic/';
  const rk = `${prefix}recall`;
  const pk = `${prefix}precision`;
  const rows = run.rows.filter((r) => Number.isFinite(r[rk]) && Number.isFinite(r[pk]));
  const w = source === 'batch' ? smoothing : 0;
  const rec = ema(
    rows.map((r) => r[rk] as number),
    w,
  );
  const prec = ema(
    rows.map((r) => r[pk] as number),
    w,
  );
  const index = new Map(rows.map((r, i) => [r, i]));
  const kept = downsample(rows, maxPoints, () => false);
  return kept.map((r, i) => {
    const j = index.get(r) ?? 0;
    return {
      step: r.step,
      recall: rec[j] as number,
      precision: prec[j] as number,
      last: i === kept.length - 1,
    };
  });
}

/** The held-out path when `source` is 'eval' and the run has held-out points, else the (smoothed) batch path. */
export function prPath(
  run: RunSeries,
  source: 'batch' | 'eval',
  maxPoints: number,
  smoothing: number,
): PrPoint[] {
  const held = source === 'eval' ? prPoints(run, 'eval', maxPoints) : [];
  return held.length ? held : prPoints(run, 'batch', maxPoints, smoothing);
}

export interface PrTrajectoryProps {
  series: readonly RunSeries[];
  /** `critic/precision|recall` on training batches (default) or the held-out `eval/critic/…` (runs
   * without held-out points then show their smoothed batch path). */
  source?: 'batch' | 'eval';
  /** EMA weight for batch paths (0 = raw). */
  smoothing?: number;
  maxPoints?: number;
  testId?: string;
  title?: string;
  help?: string;
}

interface DotProps {
  cx?: number;
  cy?: number;
  fill?: string;
  payload?: { last?: boolean };
}

function Dot({ cx, cy, fill, payload }: DotProps) {
  if (cx === undefined || cy === undefined) return null;
  const last = payload?.last === true;
  return (
    <circle
      cx={cx}
      cy={cy}
      r={last ? 6.5 : 2.5}
      fill={fill}
      style={{ stroke: last ? 'var(--bg)' : 'none' }}
      strokeWidth={last ? 2 : 0}
    />
  );
}

const PR_KEYS = ['critic/recall', 'critic/precision', 'eval/critic/recall', 'eval/critic/precision'];

export function PrTrajectory({
  series,
  source = 'batch',
  smoothing = 0,
  maxPoints = 200,
  testId = 'chart-pr',
  title = source === 'eval' ? 'Precision–recall path (held-out)' : 'Precision–recall path',
  help = source === 'eval'
    ? 'Each path follows one run’s critic on the balanced held-out set, one point per evaluation (big dot = now; a run without evaluations shows its smoothed batch path); “catch incorrect” shaping should move it up and left (higher precision, lower recall), “accept correct” down and right.'
    : 'Each path follows one run’s critic through training (big dot = now); “catch incorrect” shaping should move it up and left (higher precision, lower recall), “accept correct” down and right.',
}: PrTrajectoryProps) {
  const [ref, paths] = useLiveData(series, PR_KEYS, `${source}/${maxPoints}/${smoothing}`, (s) =>
    s.map((run) => ({
      id: run.id,
      label: run.label,
      color: run.color,
      points: prPath(run, source, maxPoints, smoothing),
    })),
  );
  const empty = paths.every((p) => p.points.length === 0);
  const legend = paths.map((p) => ({ name: p.label, color: p.color }));
  return (
    <ChartCard testId={testId} title={title} help={help} empty={empty} legend={legend} nodeRef={ref}>
      <PrPlot paths={paths} />
    </ChartCard>
  );
}

interface Path {
  id: string;
  label: string;
  color: string;
  points: PrPoint[];
}

const pct = (v: number) => formatValue(v, true);

/** The scatter tree; re-renders only when the paths change (memo on identity). */
const PrPlot = memo(function PrPlot({ paths }: { paths: Path[] }) {
  return (
    <ResponsiveContainer
      width="100%"
      height={CHART_HEIGHT}
      initialDimension={{ width: 480, height: CHART_HEIGHT }}
    >
      <ScatterChart margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="recall"
          name="recall"
          domain={[0, 1]}
          ticks={[0, 0.25, 0.5, 0.75, 1]}
          tickFormatter={pct}
          allowDataOverflow
        />
        <YAxis
          type="number"
          dataKey="precision"
          name="precision"
          domain={[0, 1]}
          ticks={[0, 0.25, 0.5, 0.75, 1]}
          tickFormatter={pct}
          width={56}
          allowDataOverflow
        />
        <Tooltip
          cursor={{ strokeDasharray: '3 3' }}
          formatter={(v) => formatValue(Number(v), true)}
          contentStyle={{ background: 'var(--bg)', borderColor: 'var(--border)', color: 'var(--fg)' }}
        />
        <Legend itemSorter={null} />
        {paths.map((p) => (
          <Scatter
            key={p.id}
            name={p.label}
            data={p.points}
            fill={p.color}
            line={{ stroke: p.color, strokeWidth: 1.5 }}
            lineJointType="linear"
            shape={(d: DotProps) => <Dot {...d} fill={p.color} />}
            isAnimationActive={false}
          />
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  );
});
