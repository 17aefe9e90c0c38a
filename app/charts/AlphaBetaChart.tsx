// Puts Appendix C's prediction next to the measurement: α, β, label ratio p and the two expected critic objectives.
import { MetricChart } from './MetricChart';
import type { LineSpec, RunSeries } from './types';

export const ALPHA_BETA_HELP =
  'With label ratio p < ½ the unweighted objective p·α + (1−p)·β pulls the critic toward saying “wrong” (β up, α down); Eq. 3 reweighting targets (α+β)/2.';

export const ALPHA_BETA_LINES: readonly LineSpec[] = [
  { key: 'critic/alpha', name: 'α (right on correct)', dash: '', width: 2.5 },
  { key: 'critic/beta', name: 'β (right on wrong)', dash: '7 3', width: 2.5 },
  { key: 'critic/label_ratio', name: 'label ratio p', dash: '1 3', width: 1.5 },
  { key: 'critic/predicted_unweighted', name: 'pred. p·α+(1−p)·β', dash: '4 3', width: 1 },
  { key: 'critic/predicted_weighted', name: 'pred. (α+β)/2', dash: '10 3 2 3', width: 1 },
];

export interface AlphaBetaChartProps {
  series: readonly RunSeries[];
  maxPoints?: number;
  /** See MetricChart; the grid passes 'auto' (colour by metric when there is one run). */
  colorBy?: 'run' | 'metric' | 'auto';
  smoothing?: number;
}

export function AlphaBetaChart({ series, maxPoints, colorBy, smoothing }: AlphaBetaChartProps) {
  return (
    <MetricChart
      testId="chart-alpha-beta"
      title="α, β and the label-ratio pull (Appendix C)"
      help={ALPHA_BETA_HELP}
      series={series}
      lines={ALPHA_BETA_LINES}
      percent
      yDomain={[0, 1]}
      maxPoints={maxPoints}
      colorBy={colorBy}
      smoothing={smoothing}
      referenceLines={[{ y: 0.5, label: '½' }]}
    />
  );
}
