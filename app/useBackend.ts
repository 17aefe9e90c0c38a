// Single place that decides the backend shown in the badge; to be wired to the engine worker later.
import { useEffect, useState } from 'react';

export interface BackendState {
  backend: string | null;
  reason?: string;
}

export function useBackend(): BackendState {
  const [state, setState] = useState<BackendState>({ backend: null });
  useEffect(() => {
    // Placeholder: feature-detect only; the worker will report the backend it actually initialised.
    setState({ backend: 'gpu' in navigator ? 'web-webgpu (available)' : 'web-wasm' });
  }, []);
  return state;
}
