// The frame every chart sits in: title, one-line help, SVG/PNG export buttons and the empty state.
import { type ReactNode, useCallback, useRef } from 'react';
import { downloadPng, downloadSvg, exportFilename, type LegendEntry } from './exportChart';

export const EMPTY_TEXT = 'No data yet — start a run';

export interface ChartCardProps {
  testId: string;
  title: string;
  help: ReactNode;
  /** No data: show the empty-state text instead of the chart and disable export. */
  empty: boolean;
  /** Legend drawn into exported files (the on-page legend is HTML). */
  legend?: readonly LegendEntry[];
  /** Also given the card's element (e.g. to watch whether it is on screen). */
  nodeRef?: (el: HTMLElement | null) => void;
  children: ReactNode;
}

export function ChartCard({ testId, title, help, empty, legend, nodeRef, children }: ChartCardProps) {
  const ref = useRef<HTMLElement | null>(null);
  const setRef = useCallback(
    (el: HTMLElement | null) => {
      ref.current = el;
      nodeRef?.(el);
    },
    [nodeRef],
  );
  const exportAs = (kind: 'svg' | 'png') => {
    const fig = ref.current;
    if (!fig) return;
    const opts = { title, legend };
    try {
      if (kind === 'svg') downloadSvg(fig, exportFilename(testId, 'svg'), opts);
      else downloadPng(fig, exportFilename(testId, 'png'), 2, opts).catch((e: unknown) => console.error(e));
    } catch (e) {
      console.error(e);
    }
  };
  return (
    <figure ref={setRef} data-testid={testId} className="chart-card">
      <figcaption className="chart-card-head">
        <span className="chart-card-title">{title}</span>
        <span className="chart-card-export">
          <button
            type="button"
            data-testid={`${testId}-export-svg`}
            disabled={empty}
            title={`Download “${title}” as SVG`}
            onClick={() => exportAs('svg')}
          >
            SVG
          </button>
          <button
            type="button"
            data-testid={`${testId}-export-png`}
            disabled={empty}
            title={`Download “${title}” as PNG`}
            onClick={() => exportAs('png')}
          >
            PNG
          </button>
        </span>
        <span className="chart-card-help">{help}</span>
      </figcaption>
      <div className="chart-card-body">{empty ? <p className="chart-empty">{EMPTY_TEXT}</p> : children}</div>
      {!empty && legend && legend.length > 0 && (
        <ul className="chart-legend">
          {legend.map((l) => (
            <li key={l.name}>
              <svg width="28" height="10" aria-hidden="true">
                <line
                  x1="1"
                  y1="5"
                  x2="27"
                  y2="5"
                  stroke={l.color}
                  strokeWidth="2.5"
                  strokeDasharray={l.dash || undefined}
                />
              </svg>
              {l.name}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
