// Pins chart smoothing (TensorBoard's debiased EMA), smoothed merging with the raw line kept, the
// chart fingerprint that skips redraws, and the precision–recall path from held-out points.
import { describe, expect, it } from 'vitest';
import { chartSignature, mergeForChart, rawKey } from '../../app/charts/downsample';
import { drawnLines, rawLines } from '../../app/charts/MetricChart';
import { prPath, prPoints } from '../../app/charts/PrTrajectory';
import { clampSmoothing, ema } from '../../app/charts/smooth';
import type { Row, RunSeries } from '../../app/charts/types';

const series = (rows: Row[], id = 'r1'): RunSeries => ({ id, label: id, color: '#123456', rows });

describe('ema', () => {
  it('is the debiased moving average: starts at the first value, then w·last + (1−w)·v', () => {
    const out = ema([1, 0, 0, 1], 0.5);
    // last: 0.5, 0.25, 0.125, 0.5625; debias 1−0.5^k: 0.5, 0.75, 0.875, 0.9375
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(0.25 / 0.75, 12);
    expect(out[2]).toBeCloseTo(0.125 / 0.875, 12);
    expect(out[3]).toBeCloseTo(0.5625 / 0.9375, 12);
  });

  it('keeps a constant line constant and returns a copy at weight 0', () => {
    for (const v of ema([0.3, 0.3, 0.3, 0.3], 0.9)) expect(v).toBeCloseTo(0.3, 12);
    const xs = [1, 5, 2];
    const out = ema(xs, 0);
    expect(out).toEqual(xs);
    expect(out).not.toBe(xs);
  });

  it('leaves gaps as gaps without moving the average', () => {
    const out = ema([1, Number.NaN, 3], 0.5);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBeCloseTo(ema([1, 3], 0.5)[1] as number, 12);
  });

  it('damps noise: the smoothed line varies less than the raw one', () => {
    const raw = Array.from({ length: 200 }, (_, i) => (i % 2 ? 0.8 : 0.2));
    const sm = ema(raw, 0.9).slice(50);
    expect(Math.max(...sm) - Math.min(...sm)).toBeLessThan(0.1);
  });

  it('clamps the weight to [0, 0.99]', () => {
    expect(clampSmoothing(-1)).toBe(0);
    expect(clampSmoothing(5)).toBe(0.99);
    expect(clampSmoothing('x')).toBe(0);
    expect(clampSmoothing(0.6)).toBe(0.6);
  });
});

describe('smoothed merging', () => {
  const rows: Row[] = Array.from({ length: 10 }, (_, step) => ({
    step,
    'gen/acc': step % 2,
    ...(step % 5 === 0 ? { 'eval/gen/acc': 0.1 * step } : {}),
  }));

  it('puts the EMA under the series key and the raw value under rawKey; eval keys stay raw', () => {
    const data = mergeForChart([series(rows)], ['gen/acc', 'eval/gen/acc'], 300, {}, 0.6);
    const sm = ema(
      rows.map((r) => r['gen/acc'] as number),
      0.6,
    );
    expect(data.map((d) => d['r1:gen/acc'])).toEqual(sm);
    expect(data.map((d) => d[rawKey('r1', 'gen/acc')])).toEqual(rows.map((r) => r['gen/acc']));
    expect(data[5]?.['r1:eval/gen/acc']).toBe(0.5);
    expect(rawKey('r1', 'eval/gen/acc') in (data[5] ?? {})).toBe(false);
  });

  it('smooths over every row before thinning and applies scales to both lines', () => {
    const long: Row[] = Array.from({ length: 1000 }, (_, step) => ({ step, 'time/step': step % 2 }));
    const data = mergeForChart([series(long)], ['time/step'], 50, { 'time/step': 1000 }, 0.9);
    expect(data.length).toBeLessThanOrEqual(50);
    const full = ema(
      long.map((r) => r['time/step'] as number),
      0.9,
    );
    for (const d of data) {
      expect(d['r1:time/step']).toBeCloseTo(1000 * (full[d.step] as number), 9);
      expect(d[rawKey('r1', 'time/step')]).toBe(1000 * (d.step % 2));
    }
  });

  it('without smoothing has no raw fields and draws no raw lines', () => {
    const data = mergeForChart([series(rows)], ['gen/acc'], 300, {}, 0);
    expect(Object.keys(data[1] ?? {})).toEqual(['step', 'r1:gen/acc']);
    const lines = [{ key: 'gen/acc', name: 'p' }];
    expect(rawLines([series(rows)], lines, drawnLines([series(rows)], lines), 0)).toEqual([]);
  });

  it('draws one faint raw line per smoothed batch line, none for held-out lines', () => {
    const lines = [
      { key: 'gen/acc', name: 'p' },
      { key: 'eval/gen/acc', name: 'held-out' },
    ];
    const s = [series(rows, 'a'), series(rows, 'b')];
    const raw = rawLines(s, lines, drawnLines(s, lines), 0.6);
    expect(raw.map((l) => l.dataKey)).toEqual([rawKey('a', 'gen/acc'), rawKey('b', 'gen/acc')]);
    expect(raw.every((l) => l.raw && l.width === 1)).toBe(true);
  });
});

describe('chartSignature', () => {
  it('changes only when rows carrying the chart keys arrive', () => {
    const a: Row[] = [{ step: 1, 'gen/acc': 0.5 }];
    const before = chartSignature([series(a)], ['eval/gen/acc']);
    const b = [...a, { step: 2, 'gen/acc': 0.4 }];
    expect(chartSignature([series(b)], ['eval/gen/acc'])).toBe(before);
    expect(chartSignature([series(b)], ['gen/acc'])).not.toBe(chartSignature([series(a)], ['gen/acc']));
    const c = [...b, { step: 3, 'eval/gen/acc': 0.7 }];
    expect(chartSignature([series(c)], ['eval/gen/acc'])).not.toBe(before);
  });
});

describe('precision–recall path', () => {
  const rows: Row[] = Array.from({ length: 40 }, (_, step) => ({
    step,
    'critic/precision': step % 2 ? 0.9 : 0.1,
    'critic/recall': 0.5,
    ...(step % 10 === 0 ? { 'eval/critic/precision': 0.6, 'eval/critic/recall': step / 40 } : {}),
  }));

  it('uses one point per held-out evaluation when there are any', () => {
    const pts = prPath(series(rows), 'eval', 200, 0.6);
    expect(pts.map((p) => p.step)).toEqual([0, 10, 20, 30]);
    expect(pts.map((p) => p.recall)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(pts.filter((p) => p.last).map((p) => p.step)).toEqual([30]);
  });

  it('falls back to the smoothed batch path for a run without evaluations', () => {
    const batchOnly = rows.map(({ step, 'critic/precision': p, 'critic/recall': r }) => ({
      step,
      'critic/precision': p as number,
      'critic/recall': r as number,
    }));
    const pts = prPath(series(batchOnly), 'eval', 200, 0.9);
    expect(pts.length).toBe(40);
    const tail = pts.slice(20).map((p) => p.precision);
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThan(0.2); // raw swings 0.1 ↔ 0.9
    expect(prPoints(series(batchOnly), 'batch', 200).map((p) => p.precision)[1]).toBe(0.9);
  });
});
