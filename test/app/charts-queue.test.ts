// Chart redraws run one per task, in order, cancellable, and slow rounds slow the update rate down.
import { describe, expect, it } from 'vitest';
import {
  CHART_BUDGET,
  CHART_MAX_WAIT_MS,
  CHART_UPDATE_MS,
  chartInterval,
  firstLines,
} from '../../app/ChartsView';
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

describe('firstLines', () => {
  const rows = (...steps: number[]) => steps.map((step) => ({ step }));
  it('lets a run through at once until its charts can draw a line (2 rows), then throttles', () => {
    expect(firstLines({ a: rows(0) }, {})).toBe(true); // a new run's first row
    expect(firstLines({ a: rows(0, 1) }, { a: rows(0) })).toBe(true); // its first line
    expect(firstLines({ a: rows(0, 1, 2) }, { a: rows(0, 1) })).toBe(false); // later rows wait
    expect(firstLines({ a: rows(0, 1, 2), b: rows(0) }, { a: rows(0, 1) })).toBe(true); // another run's first
    expect(firstLines({ a: rows(0) }, { a: rows(0) })).toBe(false); // nothing new
  });
});
