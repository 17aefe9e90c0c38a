// A panel's buttons share one busy state and one error line: an action disables them while it runs
// and shows its failure in words instead of failing silently.
import { useCallback, useState } from 'react';

export interface Action {
  /** What is running (shown to the user), or null when idle. */
  busy: string | null;
  error: string | null;
  setError: (e: string | null) => void;
  /** Runs `fn` as `what`: busy until it settles, its error (if any) shown. */
  act: (what: string, fn: () => Promise<void>) => Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = useCallback(async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, setError, act };
}
