// Pins the chart data helpers: downsampling keeps ends, bounds and sparse held-out rows; merging keys runs apart.
import { describe, expect, it } from 'vitest';
import { downsample, hasEvalKey, mergeForChart } from '../../app/charts/downsample';
import type { Row, RunSeries } from '../../app/charts/types';

function rows(n: number, evalEvery = 0): Row[] {
  return Array.from({ length: n }, (_, step) => {
    const row: Row = { step, 'gen/acc': step / n, 'critic/acc': 0.5 };
    if (evalEvery > 0 && step % evalEvery === 0) row['eval/gen/acc'] = step / (2 * n);
    return row;
  });
}

describe('downsample', () => {
  it('returns short inputs unchanged (as a copy) and handles empty input', () => {
    const r = rows(10);
    const out = downsample(r, 300);
    expect(out).toEqual(r);
    expect(out).not.toBe(r);
    expect(downsample([], 10)).toEqual([]);
    expect(downsample(r, 0)).toEqual([]);
    expect(downsample(r, 1)).toEqual([r[9]]);
  });

  it('keeps the first and last row, respects the bound, stays in step order', () => {
    for (const [n, max] of [
      [5000, 300],
      [1001, 2],
      [301, 300],
      [777, 17],
    ]) {
      const r = rows(n);
      const out = downsample(r, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out[0]).toBe(r[0]);
      expect(out[out.length - 1]).toBe(r[n - 1]);
      for (let i = 1; i < out.length; i++) expect(out[i].step).toBeGreaterThan(out[i - 1].step);
    }
  });

  it('spreads points evenly over the step range (one per bucket)', () => {
    const out = downsample(rows(10_000), 101);
    expect(out.length).toBeGreaterThan(95);
    const gaps = out.slice(1).map((r, i) => r.step - out[i].step);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * (10_000 / 99));
  });

  it('keeps every sparse eval row when they fit in half the budget', () => {
    const r = rows(5000, 100); // 50 eval rows
    const out = downsample(r, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.filter(hasEvalKey).length).toBe(50);
  });

  it('thins eval rows evenly when they are too many, still within the bound', () => {
    const r = rows(5000, 2); // 2500 eval rows
    const out = downsample(r, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.filter(hasEvalKey).length).toBeGreaterThanOrEqual(45);
  });
});

describe('mergeForChart', () => {
  const a: RunSeries = { id: 'a', label: 'filter', color: '#00f', rows: rows(1000, 50) };
  const b: RunSeries = {
    id: 'b',
    label: 'random',
    color: '#f00',
    rows: rows(500).map((r) => ({ ...r, 'gen/acc': 0.1 })),
  };

  it('produces one object per step with runId:metricKey fields', () => {
    const data = mergeForChart([a, b], ['gen/acc', 'eval/gen/acc'], 1000);
    expect(data.length).toBe(1000);
    expect(data[0]).toEqual({ step: 0, 'a:gen/acc': 0, 'a:eval/gen/acc': 0, 'b:gen/acc': 0.1 });
    expect(data[1]).toEqual({ step: 1, 'a:gen/acc': 0.001, 'b:gen/acc': 0.1 });
    expect(data[999]).toEqual({ step: 999, 'a:gen/acc': 0.999 });
    expect(data.every((d, i) => i === 0 || d.step > data[i - 1].step)).toBe(true);
  });

  it('downsamples each run but keeps its held-out points', () => {
    const data = mergeForChart([a], ['gen/acc', 'eval/gen/acc'], 100);
    expect(data.length).toBeLessThanOrEqual(100);
    expect(data.filter((d) => 'a:eval/gen/acc' in d).length).toBe(20);
    expect(data[data.length - 1].step).toBe(999);
  });

  it('uses only rows carrying the keys (an eval-only chart gets the eval rows)', () => {
    const data = mergeForChart([a, b], ['eval/gen/acc'], 300);
    expect(data.map((d) => d.step)).toEqual(Array.from({ length: 20 }, (_, i) => i * 50));
    expect(Object.keys(data[1])).toEqual(['step', 'a:eval/gen/acc']);
  });

  it('applies scales and skips non-finite values', () => {
    const run: RunSeries = {
      id: 'r',
      label: 'r',
      color: '#000',
      rows: [
        { step: 1, 'time/update': 0.25 },
        { step: 2, 'time/update': Number.NaN },
        { step: 3, 'time/update': 0.5 },
      ],
    };
    expect(mergeForChart([run], ['time/update'], 300, { 'time/update': 1000 })).toEqual([
      { step: 1, 'r:time/update': 250 },
      { step: 3, 'r:time/update': 500 },
    ]);
  });

  it('handles empty input', () => {
    expect(mergeForChart([], ['gen/acc'])).toEqual([]);
    expect(mergeForChart([{ ...a, rows: [] }], ['gen/acc'])).toEqual([]);
    expect(mergeForChart([a], [])).toEqual([]);
  });
});
