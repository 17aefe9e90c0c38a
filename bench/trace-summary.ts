// Sums a Chrome trace of a first visit into the CPU time V8 spent compiling: the WebAssembly tier-up
// of onnxruntime-web's kernels (TurboFan, background threads), its lazy baseline compiles (Liftoff,
// on the worker as functions are first called) and JavaScript's optimising compilers. On a 2-core
// machine that work competes with the run worker and the page for the same cores.

/**
 * The trace categories that carry V8's compile events, and no more: tracing costs the page time (a
 * traced visit trains slower), so read a traced run for its compile figures, not its speed.
 */
export const TRACE_CATEGORIES = ['v8.wasm', 'disabled-by-default-v8.compile'];

interface TraceEvent {
  name?: string;
  ph?: string;
  dur?: number;
  tdur?: number;
}

/** Thread CPU ms per kind of compile work (wall time where a thread's CPU time is not recorded). */
export interface CompileCpu {
  /** WebAssembly functions recompiled by TurboFan once hot (dynamic tiering). */
  wasmTopTier: number;
  /** WebAssembly functions compiled by Liftoff on their first call (lazy compilation). */
  wasmLazy: number;
  /** JavaScript functions optimised by Maglev or TurboFan. */
  jsOptimise: number;
}

const KIND: Record<string, keyof CompileCpu> = {
  'wasm.TopTierCompilation': 'wasmTopTier',
  'wasm.CompileLazy': 'wasmLazy',
  'V8.MaglevTask': 'jsOptimise',
  'V8.TurbofanTask': 'jsOptimise',
};

/** The events of a trace file's bytes (Chrome writes either `{traceEvents: […]}` or a bare array). */
export function traceEvents(bytes: Uint8Array): TraceEvent[] {
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(doc) ? doc : doc.traceEvents;
}

export function compileCpu(events: readonly TraceEvent[]): CompileCpu {
  const sums: CompileCpu = { wasmTopTier: 0, wasmLazy: 0, jsOptimise: 0 };
  for (const e of events) {
    const kind = e.ph === 'X' && e.name ? KIND[e.name] : undefined;
    if (kind) sums[kind] += (e.tdur ?? e.dur ?? 0) / 1000; // µs → ms
  }
  return sums;
}
