// Keeps live charts cheap: a chart recomputes its data only while on screen (IntersectionObserver)
// and only when its own metrics changed (a fingerprint of the rows carrying them), so the recharts
// tree below, memoised on the data's identity, re-renders only when there is something new to draw.
import { useEffect, useRef, useState } from 'react';
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

/**
 * `compute(series)` for the chart of `keys`, recomputed only when the chart is on screen and the
 * fingerprint of its rows (or `extra`: settings that change the drawing) differs from the last one;
 * otherwise the previous result, same identity.
 */
export function useLiveData<D>(
  series: readonly RunSeries[],
  keys: readonly string[],
  extra: string,
  compute: (series: readonly RunSeries[]) => D,
): [(el: HTMLElement | null) => void, D] {
  const [ref, onScreen] = useOnScreen<HTMLElement>();
  const memo = useRef<{ sig: string; data: D } | null>(null);
  if (onScreen || memo.current === null) {
    const sig = `${chartSignature(series, keys)}#${extra}#${series.map((s) => `${s.label}\t${s.color}`).join('\n')}`;
    if (memo.current?.sig !== sig) memo.current = { sig, data: compute(series) };
  }
  return [ref, (memo.current as { data: D }).data];
}
