// Shows where one run's critic goes wrong: verdict counts by response truth, as an accessible HTML table.
import { EMPTY_TEXT } from './ChartCard';
import type { Row, RunSeries } from './types';

export const CONFUSION_CELLS = ['tp', 'fn', 'none_on_correct', 'fp', 'tn', 'none_on_wrong'] as const;
export type ConfusionCell = (typeof CONFUSION_CELLS)[number];

export interface ConfusionCounts {
  counts: Record<ConfusionCell, number>;
  /** First and last step the counts cover. */
  fromStep: number;
  toStep: number;
  /** Rows summed (batch) or 1 (eval). */
  rows: number;
}

function hasConfusion(row: Row, prefix: string): boolean {
  return CONFUSION_CELLS.some((c) => Number.isFinite(row[prefix + c]));
}

/**
 * Batch: counts summed over the last `window` rows carrying `critic/confusion/*`.
 * Eval: the latest row carrying `eval/critic/confusion/*` only. Null when no row has them.
 */
export function confusionCounts(
  rows: readonly Row[],
  source: 'batch' | 'eval',
  window = 10,
): ConfusionCounts | null {
  const prefix = source === 'eval' ? 'eval/critic/confusion/' : 'critic/confusion/';
  const want = source === 'eval' ? 1 : Math.max(1, Math.floor(window));
  const picked: Row[] = [];
  for (let i = rows.length - 1; i >= 0 && picked.length < want; i--) {
    if (hasConfusion(rows[i], prefix)) picked.push(rows[i]);
  }
  if (picked.length === 0) return null;
  const counts = Object.fromEntries(CONFUSION_CELLS.map((c) => [c, 0])) as Record<ConfusionCell, number>;
  for (const row of picked) {
    for (const c of CONFUSION_CELLS) {
      const v = row[prefix + c];
      if (Number.isFinite(v)) counts[c] += v;
    }
  }
  return { counts, fromStep: picked[picked.length - 1].step, toStep: picked[0].step, rows: picked.length };
}

/** Cell tint: right verdicts green, wrong verdicts orange, no verdict grey; opacity = share of the row. */
const TINT: Record<ConfusionCell, string> = {
  tp: '0, 158, 115',
  tn: '0, 158, 115',
  fn: '213, 94, 0',
  fp: '213, 94, 0',
  none_on_correct: '128, 128, 128',
  none_on_wrong: '128, 128, 128',
};

const ROWS: { label: string; cells: [ConfusionCell, ConfusionCell, ConfusionCell] }[] = [
  { label: 'response correct', cells: ['tp', 'fn', 'none_on_correct'] },
  { label: 'response wrong', cells: ['fp', 'tn', 'none_on_wrong'] },
];

export interface ConfusionMatrixProps {
  /** The run to show (the grid passes its first series); nothing to show when absent. */
  series: RunSeries | undefined;
  /** Training-batch counts (default) or the held-out set's. */
  source?: 'batch' | 'eval';
  /** Batch rows summed (default 10). */
  window?: number;
  testId?: string;
}

export function ConfusionMatrix({
  series,
  source = 'batch',
  window = 10,
  testId = 'confusion-matrix',
}: ConfusionMatrixProps) {
  const result = series ? confusionCounts(series.rows, source, window) : null;
  const what =
    source === 'eval'
      ? `held-out critique set at step ${result?.toStep ?? '–'}`
      : result && result.rows > 1
        ? `training batches, sum of the last ${result.rows} steps (${result.fromStep}–${result.toStep})`
        : `training batch at step ${result?.toStep ?? '–'}`;
  return (
    <figure data-testid={testId} className="chart-card confusion-card">
      <figcaption className="chart-card-head">
        <span className="chart-card-title">Critic verdicts{source === 'eval' ? ' (held-out)' : ''}</span>
        <span className="chart-card-help">
          Green cells are right verdicts; a heavy “says wrong” column with few “says correct” is the critic
          drifting to “incorrect” (α down, β up).
        </span>
      </figcaption>
      {result && series ? (
        <table className="confusion-matrix">
          <caption>
            {series.label}: {what}
          </caption>
          <thead>
            <tr>
              <td />
              <th scope="col">says correct</th>
              <th scope="col">says wrong</th>
              <th scope="col">no verdict</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(({ label, cells }) => {
              const total = cells.reduce((s, c) => s + result.counts[c], 0);
              return (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {cells.map((c) => {
                    const n = result.counts[c];
                    const share = total > 0 ? n / total : 0;
                    return (
                      <td
                        key={c}
                        data-cell={c}
                        style={{ background: `rgba(${TINT[c]}, ${(0.08 + 0.6 * share).toFixed(3)})` }}
                      >
                        <span className="confusion-count">{Math.round(n * 100) / 100}</span>
                        <span className="confusion-share">
                          {total > 0 ? ` ${Math.round(share * 100)}%` : ''}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="chart-empty">{EMPTY_TEXT}</p>
      )}
    </figure>
  );
}
