// The backend the engine worker actually initialised, why it was chosen, and the fallback reason when there was one.
import { useEffect, useState } from 'react';
import type { EngineClient } from './engineClient';

export interface BackendState {
  backend: string | null;
  /** Why a requested WebGPU fell back to WASM (the runtime's own fallback). */
  reason?: string;
  /** Which backend runs and why (auto's decision, or the user's choice). */
  choice?: string;
}

export function useBackend(engine: EngineClient): BackendState {
  const [state, setState] = useState<BackendState>({ backend: null });
  useEffect(() => {
    let live = true;
    // The decision arrives before the runtime is ready: show it at once.
    engine.choice.then(
      // The runtime may take seconds to load its wasm: name the decided backend while it starts.
      (c) =>
        live &&
        setState((s) => ({ ...s, backend: s.backend ?? `${c.backend} · starting…`, choice: c.reason })),
      () => undefined,
    );
    engine.ready.then(
      (caps) => {
        const threads =
          caps.backend === 'web-wasm' ? ` · ${caps.threads} thread${caps.threads > 1 ? 's' : ''}` : '';
        if (live)
          setState({
            backend: `${caps.backend}${threads}`,
            reason: caps.fallbackReason ?? undefined,
            choice: caps.choice.reason,
          });
      },
      (err: Error) => live && setState({ backend: 'engine unavailable', reason: err.message }),
    );
    return () => {
      live = false;
    };
  }, [engine]);
  return state;
}
