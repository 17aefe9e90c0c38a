// Feeds the chart grid from the store: the visible runs, each labelled by what sets it apart, at a
// bounded rate (new rows reach the charts at most twice a second, less often when redraws are slow),
// with the smoothing control.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ChartGrid } from './charts/ChartGrid';
import { lastChartRoundMs } from './charts/chartQueue';
import { clampSmoothing, SMOOTHING_DEFAULT, SMOOTHING_MAX } from './charts/smooth';
import type { RunSeries } from './charts/types';
import { legendLabel } from './runs/labels';
import { useStore } from './state/store';

/** Rows and run records reach the charts at most this often… */
export const CHART_UPDATE_MS = 500;
/** …and less often on a slow machine: chart redraws take at most about 1/CHART_BUDGET of the main thread. */
export const CHART_BUDGET = 5;
/** …but never staler than this. */
export const CHART_MAX_WAIT_MS = 5000;

/** The pause between chart updates: CHART_UPDATE_MS, or longer when the last round of redraws was slow. */
export const chartInterval = (lastRoundMs: number): number =>
  Math.min(CHART_MAX_WAIT_MS, Math.max(CHART_UPDATE_MS, CHART_BUDGET * lastRoundMs));

/**
 * `value`, but changing at most once per `ms()` (the newest value always arrives, late at most
 * `ms()`) — except when `urgent(value, shown)`: then at once.
 */
function useThrottled<T>(
  value: T,
  ms: () => number,
  urgent: (next: T, shown: T) => boolean = () => false,
): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = urgent(value, shown) ? 0 : Math.max(0, last.current + ms() - performance.now());
    const t = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, shown, ms, urgent]);
  return shown;
}

type RowsById = ReturnType<typeof useStore.getState>['rows'];
/** A run whose charts cannot draw a line yet (under 2 rows shown) gets its new rows at once: the first line is not throttled. */
export const firstLines = (next: RowsById, shown: RowsById): boolean =>
  Object.entries(next).some(
    ([id, r]) => (shown[id]?.length ?? 0) < 2 && (r?.length ?? 0) > (shown[id]?.length ?? 0),
  );

const intervalNow = () => chartInterval(lastChartRoundMs());

const SMOOTHING_KEY = 'gcrl.smoothing';

function useSmoothing(): [number, (w: number) => void] {
  const [w, setW] = useState(() => {
    const saved = globalThis.localStorage?.getItem(SMOOTHING_KEY);
    return saved === null || saved === undefined ? SMOOTHING_DEFAULT : clampSmoothing(Number(saved));
  });
  const set = (v: number) => {
    const c = clampSmoothing(v);
    setW(c);
    globalThis.localStorage?.setItem(SMOOTHING_KEY, String(c));
  };
  return [w, set];
}

export function ChartsView() {
  const live = useStore((s) => s.rows);
  const liveRuns = useStore((s) => s.runs);
  const rows = useThrottled(live, intervalNow, firstLines);
  const runs = useThrottled(liveRuns, intervalNow);
  const hidden = useStore((s) => s.hidden);
  const focus = useStore((s) => s.focus);
  const [smoothing, setSmoothing] = useSmoothing();
  const series = useMemo<RunSeries[]>(() => {
    const shown = runs.filter((r) => !hidden.includes(r.id) && (rows[r.id]?.length ?? 0) > 0);
    // The focused run first: the confusion matrix shows the first series.
    shown.sort((a, b) => Number(b.id === focus) - Number(a.id === focus));
    const configs = shown.map((r) => r.config);
    return shown.map((r) => ({
      id: r.id,
      label: r.experiment ? r.name : legendLabel(r.name, r.config, configs),
      color: r.color,
      rows: rows[r.id] ?? [],
    }));
  }, [runs, hidden, rows, focus]);
  return (
    <>
      <div className="chart-toolbar">
        <label title="Exponential moving average of the per-batch lines, as TensorBoard draws it (0 = raw); the raw line stays faint behind. Held-out points are not smoothed.">
          Smoothing{' '}
          <input
            type="range"
            min={0}
            max={SMOOTHING_MAX}
            step={0.01}
            value={smoothing}
            onChange={(e) => setSmoothing(Number(e.target.value))}
            data-testid="chart-smoothing"
          />{' '}
          <output data-testid="chart-smoothing-value">{smoothing.toFixed(2)}</output>
        </label>
      </div>
      {series.length > 1 && (
        <ul className="run-legend" data-testid="run-legend" aria-label="Runs on the charts">
          {series.map((r) => (
            <li key={r.id}>
              <span className="swatch" style={{ background: r.color }} aria-hidden="true" /> {r.label}
            </li>
          ))}
        </ul>
      )}
      <ChartGrid series={series} smoothing={smoothing} />
    </>
  );
}
