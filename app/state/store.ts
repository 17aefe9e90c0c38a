// The page's one zustand store, in slices: config (the draft, persisted in the URL hash), runs,
// metrics (bounded rows and latest samples per run) and ui. Holds data only; workers live in the
// RunManager.
import { create } from 'zustand';
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';
import type { RunStatus } from '../../src/rl/run-controller.js';
import type { StepSamples } from '../../src/rl/trainer.js';
import { baseOptions } from '../runs/savedNames';
import { PAGE_DEFAULTS, type TrainConfig } from './defaults';
import { HashSync } from './hashSync';
import { appendCapped, type Row } from './rows';

export type RunState = RunStatus | 'creating' | 'queued' | 'pausing' | 'stopping' | 'interrupted';

export interface RunRecord {
  id: string;
  name: string;
  config: TrainConfig;
  status: RunState;
  step: number;
  error?: string;
  createdAt: string;
  experiment?: string;
  color: string;
  backend?: string;
}

interface ConfigSlice {
  draft: TrainConfig;
  urlErrors: string[];
  setDraft(c: TrainConfig): void;
  dismissUrlErrors(): void;
}
interface RunsSlice {
  runs: RunRecord[];
  focus: string | null; // the run the samples inspector and confusion matrix show
  hidden: string[]; // runs left out of the charts
  addRun(r: RunRecord): void;
  patchRun(id: string, patch: Partial<RunRecord>): void;
  removeRun(id: string): void;
  setFocus(id: string | null): void;
  toggleHidden(id: string): void;
}
interface MetricsSlice {
  rows: Record<string, Row[]>;
  samples: Record<string, StepSamples>;
  appendRows(id: string, rows: readonly Row[]): void;
  setSamples(id: string, s: StepSamples): void;
}
/** A saved checkpoint as lists show it (the bytes stay in IndexedDB). */
export interface SavedCheckpoint {
  name: string;
  createdAt: string;
  steps: number;
  parent: string;
}

export type Theme = 'system' | 'light' | 'dark';
export type Tab = 'charts' | 'samples' | 'model';
interface UiSlice {
  theme: Theme;
  tab: Tab;
  schedule: 'parallel' | 'queue'; // experiment runs side by side, or one after another
  notice: { kind: 'error' | 'info'; text: string } | null;
  checkpoints: SavedCheckpoint[]; // saved in this browser (IndexedDB), newest last
  setCheckpoints(c: SavedCheckpoint[]): void;
  setTheme(t: Theme): void;
  setTab(t: Tab): void;
  setSchedule(s: UiSlice['schedule']): void;
  setNotice(n: UiSlice['notice']): void;
}
export type State = ConfigSlice & RunsSlice & MetricsSlice & UiSlice;

type Slice<T> = (set: (fn: (s: State) => Partial<State>) => void) => T;

const configSlice: Slice<ConfigSlice> = (set) => ({
  draft: PAGE_DEFAULTS,
  urlErrors: [],
  setDraft: (draft) => set(() => ({ draft })),
  dismissUrlErrors: () => set(() => ({ urlErrors: [] })),
});

const runsSlice: Slice<RunsSlice> = (set) => ({
  runs: [],
  focus: null,
  hidden: [],
  addRun: (r) => set((s) => ({ runs: [...s.runs, r], focus: s.focus ?? r.id })),
  patchRun: (id, patch) => set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...patch } : r)) })),
  removeRun: (id) =>
    set((s) => {
      const { [id]: _rows, ...rows } = s.rows;
      const { [id]: _samples, ...samples } = s.samples;
      const runs = s.runs.filter((r) => r.id !== id);
      return { runs, rows, samples, focus: s.focus === id ? (runs[0]?.id ?? null) : s.focus };
    }),
  setFocus: (focus) => set(() => ({ focus })),
  toggleHidden: (id) =>
    set((s) => ({ hidden: s.hidden.includes(id) ? s.hidden.filter((h) => h !== id) : [...s.hidden, id] })),
});

const metricsSlice: Slice<MetricsSlice> = (set) => ({
  rows: {},
  samples: {},
  appendRows: (id, more) => set((s) => ({ rows: { ...s.rows, [id]: appendCapped(s.rows[id] ?? [], more) } })),
  setSamples: (id, smp) => set((s) => ({ samples: { ...s.samples, [id]: smp } })),
});

const uiSlice: Slice<UiSlice> = (set) => ({
  theme: 'system',
  tab: 'charts',
  schedule: 'queue',
  notice: null,
  checkpoints: [],
  setCheckpoints: (checkpoints) => set(() => ({ checkpoints })),
  setTheme: (theme) => set(() => ({ theme })),
  setTab: (tab) => set(() => ({ tab })),
  setSchedule: (schedule) => set(() => ({ schedule })),
  setNotice: (notice) => set(() => ({ notice })),
});

/**
 * The address bar as the config's storage: `hashSync` writes the hash only when the draft changed
 * (never on the many updates runs make) and records what it wrote, so a pasted link is told apart.
 */
const hashSync = new HashSync(
  {
    read: () => location.hash,
    replace: (hash) =>
      history.replaceState(null, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`),
  },
  PAGE_DEFAULTS,
  () => ({ baseOptions: baseOptions() }),
);

/**
 * zustand `persist` storage over the URL hash: the draft config is written as readable
 * `key=value` pairs (only what differs from the defaults); reading validates every key, and a bad
 * or tampered link falls back to defaults with the problems listed, never a blank page.
 */
const hashStorage: StateStorage = {
  getItem: () => {
    const { config, errors } = hashSync.adopt();
    return JSON.stringify({ state: { draft: config, urlErrors: errors }, version: 0 });
  },
  setItem: (_name, value) => {
    hashSync.write((JSON.parse(value) as { state: { draft: TrainConfig } }).state.draft);
  },
  removeItem: () => history.replaceState(null, '', `${location.pathname}${location.search}`),
};

export const useStore = create<State>()(
  persist(
    (set) => ({
      ...configSlice(set),
      ...runsSlice(set),
      ...metricsSlice(set),
      ...uiSlice(set),
    }),
    {
      name: 'config',
      storage: createJSONStorage(() => hashStorage),
      partialize: (s) => ({ draft: s.draft }) as Partial<State>,
    },
  ),
);

/** On `hashchange`: a hash the page did not write (a pasted link, back/forward) replaces the draft. */
export function adoptHash(): void {
  if (hashSync.changedOutside()) void useStore.persist.rehydrate();
}
