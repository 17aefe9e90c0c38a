// Renders the chart components to static HTML in Node: test ids, empty states and confusion counts.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChartGrid } from '../../app/charts/ChartGrid';
import { ConfusionMatrix, confusionCounts } from '../../app/charts/ConfusionMatrix';
import { MetricChart } from '../../app/charts/MetricChart';
import { prPoints } from '../../app/charts/PrTrajectory';
import type { Row, RunSeries } from '../../app/charts/types';

const EMPTY = 'No data yet — start a run';

function run(n: number): RunSeries {
  const rows: Row[] = Array.from({ length: n }, (_, step) => ({
    step,
    'gen/acc': 0.2,
    'critic/precision': 0.5 + step / (4 * n),
    'critic/recall': 0.6,
    'critic/confusion/tp': 2,
    'critic/confusion/fn': 1,
    'critic/confusion/none_on_correct': 1,
    'critic/confusion/fp': 3,
    'critic/confusion/tn': 5,
    'critic/confusion/none_on_wrong': 0,
    ...(step % 5 === 0 ? { 'eval/critic/confusion/tp': 10 + step, 'eval/critic/confusion/tn': 7 } : {}),
  }));
  return { id: 'r1', label: 'filter', color: '#0072b2', rows };
}

describe('ChartGrid', () => {
  it('renders every chart card with its test id and the empty state without data', () => {
    const html = renderToStaticMarkup(createElement(ChartGrid, { series: [] }));
    for (const id of [
      'chart-gen-acc',
      'chart-critic',
      'chart-critic-eval',
      'chart-alpha-beta',
      'chart-label-ratio',
      'chart-rewards',
      'chart-policy',
      'chart-speed',
      'chart-phases',
      'chart-pr',
      'confusion-matrix',
    ]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('data-testid="chart-gen-acc-export-svg"');
    expect(html).toContain('data-testid="chart-gen-acc-export-png"');
    expect(html.split(EMPTY).length - 1).toBeGreaterThanOrEqual(11);
  });

  it('draws a chart instead of the empty state once there is data', () => {
    const html = renderToStaticMarkup(
      createElement(MetricChart, {
        testId: 't',
        title: 'Generation accuracy',
        help: 'help',
        series: [run(20)],
        lines: [{ key: 'gen/acc', name: 'batch' }],
        percent: true,
      }),
    );
    expect(html).toContain('<figcaption');
    expect(html).not.toContain(EMPTY);
    expect(html).toContain('recharts-responsive-container');
  });
});

describe('ConfusionMatrix', () => {
  it('sums the last `window` batch rows', () => {
    const c = confusionCounts(run(30).rows, 'batch', 10);
    expect(c).toMatchObject({ fromStep: 20, toStep: 29, rows: 10 });
    expect(c?.counts).toEqual({ tp: 20, fn: 10, none_on_correct: 10, fp: 30, tn: 50, none_on_wrong: 0 });
  });

  it('uses only the latest held-out row for eval', () => {
    const c = confusionCounts(run(30).rows, 'eval');
    expect(c).toMatchObject({ toStep: 25, rows: 1 });
    expect(c?.counts.tp).toBe(35);
    expect(c?.counts.tn).toBe(7);
    expect(confusionCounts([], 'eval')).toBeNull();
  });

  it('renders an accessible table with a caption naming the source', () => {
    const html = renderToStaticMarkup(createElement(ConfusionMatrix, { series: run(30), window: 5 }));
    expect(html).toContain('data-testid="confusion-matrix"');
    expect(html).toContain('<caption>filter: training batches, sum of the last 5 steps (25–29)</caption>');
    expect(html).toContain('<th scope="row">response correct</th>');
    expect(html).toContain('<th scope="col">no verdict</th>');
    expect(html).toMatch(/data-cell="tn"[^>]*><span class="confusion-count">25</);
    const evalHtml = renderToStaticMarkup(
      createElement(ConfusionMatrix, { series: run(30), source: 'eval' }),
    );
    expect(evalHtml).toContain('held-out critique set at step 25');
  });
});

describe('prPoints', () => {
  it('follows the run in step order and marks only the last point', () => {
    const pts = prPoints(run(50), 'batch', 200);
    expect(pts.length).toBe(50);
    expect(pts.filter((p) => p.last).map((p) => p.step)).toEqual([49]);
    expect(pts[0]).toEqual({ step: 0, recall: 0.6, precision: 0.5, last: false });
    expect(prPoints(run(50), 'eval', 200)).toEqual([]);
  });
});
