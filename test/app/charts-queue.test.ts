// Chart redraws run one per task, in order, cancellable, and slow rounds slow the update rate down.
import { describe, expect, it } from 'vitest';
import { CHART_BUDGET, CHART_MAX_WAIT_MS, CHART_UPDATE_MS, chartInterval } from '../../app/ChartsView';
import { enqueueChartJob, lastChartRoundMs } from '../../app/charts/chartQueue';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('chart job queue', () => {
  it('runs queued jobs in order, each in a task of its own; a cancelled job never runs', async () => {
    const ran: string[] = [];
    enqueueChartJob(() => ran.push('a'));
    const cancel = enqueueChartJob(() => ran.push('b'));
    enqueueChartJob(() => ran.push('c'));
    cancel();
    expect(ran).toEqual([]); // nothing runs in the task that queued them
    await tick();
    expect(ran).toEqual(['a']);
    for (let i = 0; i < 5; i++) await tick();
    expect(ran).toEqual(['a', 'c']);
  });

  it('reports how long the last round of jobs took', async () => {
    enqueueChartJob(() => {
      const t0 = performance.now();
      while (performance.now() - t0 < 15) {
        // busy: a slow chart
      }
    });
    for (let i = 0; i < 5; i++) await tick();
    expect(lastChartRoundMs()).toBeGreaterThanOrEqual(14);
  });
});

describe('chartInterval', () => {
  it('keeps the base rate for cheap redraws and backs off for slow ones', () => {
    expect(chartInterval(0)).toBe(CHART_UPDATE_MS);
    expect(chartInterval(10)).toBe(CHART_UPDATE_MS);
    expect(chartInterval(400)).toBe(400 * CHART_BUDGET);
    expect(chartInterval(60_000)).toBe(CHART_MAX_WAIT_MS); // never staler than that
  });
});
