// Feeds the chart grid from the store: the visible runs, each labelled by what sets it apart.
import { useMemo } from 'react';
import { ChartGrid } from './charts/ChartGrid';
import type { RunSeries } from './charts/types';
import { legendLabel } from './runs/labels';
import { useStore } from './state/store';

export function ChartsView() {
  const runs = useStore((s) => s.runs);
  const hidden = useStore((s) => s.hidden);
  const rows = useStore((s) => s.rows);
  const focus = useStore((s) => s.focus);
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
      {series.length > 1 && (
        <ul className="run-legend" data-testid="run-legend" aria-label="Runs on the charts">
          {series.map((r) => (
            <li key={r.id}>
              <span className="swatch" style={{ background: r.color }} aria-hidden="true" /> {r.label}
            </li>
          ))}
        </ul>
      )}
      <ChartGrid series={series} />
    </>
  );
}
