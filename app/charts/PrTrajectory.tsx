// Shows how a run's critic trades precision against recall over training: one path per run, newest point big.
import { useMemo } from 'react';
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
import type { RunSeries } from './types';

export interface PrPoint {
  step: number;
  recall: number;
  precision: number;
  /** The run's newest point (drawn bigger). */
  last: boolean;
}

/** One run's (recall, precision) path in step order, thinned to `maxPoints`. */
export function prPoints(run: RunSeries, source: 'batch' | 'eval', maxPoints: number): PrPoint[] {
  const prefix = source === 'eval' ? 'eval/critic/' : 'critic/';
  const rk = `${prefix}recall`;
  const pk = `${prefix}precision`;
  const rows = run.rows.filter((r) => Number.isFinite(r[rk]) && Number.isFinite(r[pk]));
  const kept = downsample(rows, maxPoints, () => false);
  return kept.map((r, i) => ({ step: r.step, recall: r[rk], precision: r[pk], last: i === kept.length - 1 }));
}

export interface PrTrajectoryProps {
  series: readonly RunSeries[];
  /** `critic/precision|recall` on training batches (default) or the held-out `eval/critic/…`. */
  source?: 'batch' | 'eval';
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

export function PrTrajectory({
  series,
  source = 'batch',
  maxPoints = 200,
  testId = 'chart-pr',
  title = source === 'eval' ? 'Precision–recall path (held-out)' : 'Precision–recall path',
  help = 'Each path follows one run’s critic through training (big dot = now); “catch incorrect” shaping should move it up and left (higher precision, lower recall), “accept correct” down and right.',
}: PrTrajectoryProps) {
  const paths = useMemo(
    () => series.map((run) => ({ run, points: prPoints(run, source, maxPoints) })),
    [series, source, maxPoints],
  );
  const empty = paths.every((p) => p.points.length === 0);
  const legend = paths.map(({ run }) => ({ name: run.label, color: run.color }));
  const pct = (v: number) => formatValue(v, true);

  return (
    <ChartCard testId={testId} title={title} help={help} empty={empty} legend={legend}>
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
          {paths.map(({ run, points }) => (
            <Scatter
              key={run.id}
              name={run.label}
              data={points}
              fill={run.color}
              line={{ stroke: run.color, strokeWidth: 1.5 }}
              lineJointType="linear"
              shape={(p: DotProps) => <Dot {...p} fill={run.color} />}
              isAnimationActive={false}
            />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
