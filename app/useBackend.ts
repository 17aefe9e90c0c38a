// The backend the engine worker actually initialised, with the fallback reason when there was one.
import { useEffect, useState } from 'react';
import type { EngineClient } from './engineClient';

export interface BackendState {
  backend: string | null;
  reason?: string;
}

export function useBackend(engine: EngineClient): BackendState {
  const [state, setState] = useState<BackendState>({ backend: null });
  useEffect(() => {
    let live = true;
    engine.ready.then(
      (caps) => {
        const threads =
          caps.backend === 'web-wasm' ? ` · ${caps.threads} thread${caps.threads > 1 ? 's' : ''}` : '';
        if (live)
          setState({ backend: `${caps.backend}${threads}`, reason: caps.fallbackReason ?? undefined });
      },
      (err: Error) => live && setState({ backend: 'engine unavailable', reason: err.message }),
    );
    return () => {
      live = false;
    };
  }, [engine]);
  return state;
}
