// React context carrying the page's one RunManager (created in main.tsx) to the components.
import { createContext, useContext } from 'react';
import type { RunManager } from './runManager';

export const ManagerContext = createContext<RunManager | null>(null);

export function useManager(): RunManager {
  const m = useContext(ManagerContext);
  if (!m) throw new Error('RunManager missing: wrap the app in <ManagerContext.Provider>');
  return m;
}
