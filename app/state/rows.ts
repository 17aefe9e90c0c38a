// Bounded metric history per run: long runs keep every held-out row and thin the batch rows of the
// older half, so memory stays bounded while the whole run remains visible.
import { hasEvalKey } from '../charts/downsample';
import type { Row } from '../charts/types';

export type { Row };
export const MAX_ROWS = 4000;

/**
 * Appends `more` to `rows` in step order (a run's baseline row 0 may arrive after row 1); past
 * `max`, drops every other batch-only row of the older half.
 */
export function appendCapped(rows: readonly Row[], more: readonly Row[], max = MAX_ROWS): Row[] {
  let out = [...rows, ...more];
  const late = more[0] && rows.length && Number(more[0].step) < Number(rows.at(-1)?.step);
  if (late) out.sort((a, b) => Number(a.step) - Number(b.step)); // stable: equal steps keep their order
  while (out.length > max) {
    const half = Math.floor(out.length / 2);
    let k = 0;
    const older = out.slice(0, half).filter((r, i) => i === 0 || hasEvalKey(r) || k++ % 2 === 1);
    if (older.length === half) break; // nothing left to thin (all held-out rows)
    out = [...older, ...out.slice(half)];
  }
  return out;
}
