// Lays out every live training chart for the page, with help text in the paper's terms (SPEC §4–§5).
import './charts.css';
import { AlphaBetaChart } from './AlphaBetaChart';
import { ConfusionMatrix } from './ConfusionMatrix';
import { MetricChart } from './MetricChart';
import { PrTrajectory } from './PrTrajectory';
import type { LineSpec, RunSeries } from './types';

const GEN: readonly LineSpec[] = [
  { key: 'gen/acc', name: 'batch p', dash: '' },
  { key: 'eval/gen/acc', name: 'held-out', dash: '6 3', width: 2.5 },
];
const critic = (prefix: string): LineSpec[] => [
  { key: `${prefix}acc`, name: 'accuracy', dash: '', width: 2.5 },
  { key: `${prefix}precision`, name: 'precision', dash: '7 3' },
  { key: `${prefix}recall`, name: 'recall', dash: '2 3' },
  { key: `${prefix}f1`, name: 'F1', dash: '10 3 2 3' },
];
const CRITIC = critic('critic/');
const CRITIC_EVAL: readonly LineSpec[] = [
  ...critic('eval/critic/'),
  // among right verdicts on the held-out set, the share reached with a wrong recomputed answer (Eq. 4 should lower it)
  { key: 'eval/critic/right_verdict_wrong_working', name: 'right verdict, wrong working', dash: '1 3' },
];
const LABEL_RATIO: readonly LineSpec[] = [{ key: 'critic/label_ratio', name: 'label ratio p', dash: '' }];
const REWARDS: readonly LineSpec[] = [
  { key: 'reward/response_mean', name: 'response reward', dash: '' },
  { key: 'reward/critique_mean', name: 'critique reward', dash: '7 3' },
];
const POLICY: readonly LineSpec[] = [
  { key: 'actor/kl', name: 'KL', dash: '' },
  { key: 'actor/entropy', name: 'entropy', dash: '7 3' },
  { key: 'actor/clip_frac', name: 'clip fraction', dash: '2 3' },
];
const SPEED: readonly LineSpec[] = [{ key: 'perf/tokens_per_s', name: 'tokens/s', dash: '' }];
const PHASES: readonly LineSpec[] = [
  { key: 'time/rollout1', name: 'rollout-1', dash: '', scale: 1000 },
  { key: 'time/rollout2', name: 'rollout-2', dash: '7 3', scale: 1000 },
  { key: 'time/refine', name: 'refine', dash: '2 3', scale: 1000 },
  { key: 'time/ref', name: 'reference log-probs', dash: '10 3 2 3', scale: 1000 },
  { key: 'time/update', name: 'update', dash: '1 4', scale: 1000 },
];
const HALF = [{ y: 0.5, label: '½' }];

export interface ChartGridProps {
  series: RunSeries[];
  /** EMA weight for the per-batch lines (0 = raw). */
  smoothing?: number;
}

/** Every chart for the given runs; the confusion matrices show the first run. */
export function ChartGrid({ series, smoothing = 0 }: ChartGridProps) {
  const c = 'auto' as const;
  return (
    <div className="chart-grid-container">
      <section className="chart-grid" data-testid="chart-grid" aria-label="Training charts">
        <MetricChart
          testId="chart-gen-acc"
          title="Generation accuracy"
          help="Batch accuracy p and held-out accuracy: on the same finite training set GC-RL should end at or above G-RL on held-out questions."
          series={series}
          smoothing={smoothing}
          lines={GEN}
          percent
          colorBy={c}
        />
        <MetricChart
          testId="chart-critic"
          title="Critique quality (training batch)"
          help="Positive = the response is correct: random sampling at p < ½ drags recall down as the critic says “wrong” too often; the data filter keeps precision and recall balanced."
          series={series}
          smoothing={smoothing}
          lines={CRITIC}
          percent
          colorBy={c}
        />
        <MetricChart
          testId="chart-critic-eval"
          title="Critique quality (balanced held-out set)"
          help="The paper's yardstick: expect data filter ≥ random + reweight ≥ random, “catch incorrect” shaping to trade recall for precision, and denoising r + k/m above r alone."
          series={series}
          smoothing={smoothing}
          lines={CRITIC_EVAL}
          percent
          colorBy={c}
        />
        <AlphaBetaChart series={series} colorBy={c} smoothing={smoothing} />
        <MetricChart
          testId="chart-label-ratio"
          title="Label ratio fed to the critic"
          help="Share of critiqued responses that were correct: the data filter holds it at ½; random sampling follows the model's accuracy p, far below ½ early on."
          series={series}
          smoothing={smoothing}
          lines={LABEL_RATIO}
          percent
          referenceLines={HALF}
        />
        <MetricChart
          testId="chart-rewards"
          title="Mean rewards"
          help="Response reward (Eq. 1) and critique reward (Eqs. 2–6): a critique reward that climbs while held-out critique accuracy stalls is reward hacking, as in dynamic C-RL (§5.3)."
          series={series}
          smoothing={smoothing}
          lines={REWARDS}
          yDomain="auto"
          colorBy={c}
        />
        <MetricChart
          testId="chart-policy"
          title="Policy: KL, entropy, clip fraction"
          help="KL to the frozen cold-start reference should grow slowly; entropy collapsing toward 0 or a high clip fraction means the updates are too large."
          series={series}
          smoothing={smoothing}
          lines={POLICY}
          yDomain="auto"
          colorBy={c}
        />
        <MetricChart
          testId="chart-speed"
          title="Throughput"
          help="Generated tokens per second over both rollouts: a drop means longer responses or a fallback from WebGPU to WASM."
          series={series}
          smoothing={smoothing}
          lines={SPEED}
          yDomain="auto"
        />
        <MetricChart
          testId="chart-phases"
          title="Time per phase"
          help="Milliseconds per step in each phase (rollout-1, rollout-2, refinements, reference log-probs, update): the top line is where the step's time goes."
          series={series}
          smoothing={smoothing}
          lines={PHASES}
          yDomain="auto"
          unit="ms"
          colorBy={c}
        />
        <PrTrajectory series={series} source="eval" smoothing={smoothing} />
        <ConfusionMatrix series={series[0]} />
        <ConfusionMatrix series={series[0]} source="eval" testId="confusion-matrix-eval" />
      </section>
    </div>
  );
}
