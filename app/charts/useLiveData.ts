// Keeps live charts cheap: a chart recomputes its data only while on screen (IntersectionObserver)
// and only when its own metrics changed (a fingerprint of the rows carrying them), and adopts new
// data in a task of its own (chartQueue), so the recharts tree below, memoised on the data's
// identity, re-renders only when there is something new to draw and never all charts in one task.
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { enqueueChartJob } from './chartQueue';
import { chartSignature } from './downsample';
import type { RunSeries } from './types';

/** A callback ref and whether its element is within `rootMargin` of the viewport (true until known). */
export function useOnScreen<T extends Element>(rootMargin = '200px'): [(el: T | null) => void, boolean] {
  const [el, setEl] = useState<T | null>(null);
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        const e = entries.at(-1);
        if (e) setOnScreen(e.isIntersecting);
      },
      { rootMargin },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [el, rootMargin]);
  return [setEl, onScreen];
}

const signature = (series: readonly RunSeries[], keys: readonly string[], extra: string) =>
  `${chartSignature(series, keys)}#${extra}#${series.map((s) => `${s.id}\t${s.label}\t${s.color}`).join('\n')}`;

/**
 * `compute(series)` for the chart of `keys`: computed at once on the first render, then recomputed
 * (in a queued task) only while the chart is on screen and when the fingerprint of its rows (or
 * `extra`: settings that change the drawing) differs from the last one; otherwise the previous
 * result, same identity.
 */
export function useLiveData<D>(
  series: readonly RunSeries[],
  keys: readonly string[],
  extra: string,
  compute: (series: readonly RunSeries[]) => D,
): [(el: HTMLElement | null) => void, D] {
  const [ref, onScreen] = useOnScreen<HTMLElement>();
  const last = useRef<string | null>(null);
  const [data, setData] = useState<D>(() => {
    last.current = signature(series, keys, extra);
    return compute(series);
  });
  const latest = useRef({ series, keys, extra, compute });
  latest.current = { series, keys, extra, compute };
  const sig = onScreen ? signature(series, keys, extra) : last.current;
  useEffect(() => {
    if (sig === last.current) return;
    return enqueueChartJob(() => {
      const { series: s, keys: k, extra: x, compute: c } = latest.current;
      last.current = signature(s, k, x);
      const next = c(s);
      flushSync(() => setData(() => next)); // render and commit this chart now, in this task
    });
  }, [sig]);
  return [ref, data];
}
