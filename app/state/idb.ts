// IndexedDB persistence: runs (config, status, metric rows) survive a reload, and checkpoints are
// kept by name. Small promise wrappers over the raw API; one database, two object stores. Runs are
// written in one transaction that starts synchronously once the database is open, so a save
// started while the page is being hidden or closed has its data handed over before the page goes.
import type { TrainConfig } from '../../src/rl/config.js';
import type { Row } from './rows';

const DB = 'gcrl-playground';
const VERSION = 1;

export interface StoredRun {
  id: string;
  name: string;
  config: TrainConfig;
  status: string;
  step: number;
  error?: string;
  createdAt: string;
  experiment?: string;
  color: string;
  backend?: string;
  rows: Row[];
}

export interface StoredCheckpoint {
  name: string;
  createdAt: string;
  steps: number;
  parent: string;
  bytes: Uint8Array; // a single-file checkpoint bundle
}

let db: Promise<IDBDatabase> | null = null;
let opened: IDBDatabase | null = null; // once open, for writes that must not wait a turn

function open(): Promise<IDBDatabase> {
  db ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      const d = req.result;
      if (!d.objectStoreNames.contains('runs')) d.createObjectStore('runs', { keyPath: 'id' });
      if (!d.objectStoreNames.contains('checkpoints'))
        d.createObjectStore('checkpoints', { keyPath: 'name' });
    };
    req.onsuccess = () => {
      opened = req.result;
      resolve(req.result);
    };
    req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
  });
  return db;
}

async function tx<T>(
  store: 'runs' | 'checkpoints',
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T | undefined> {
  const d = await open();
  return new Promise((resolve, reject) => {
    const t = d.transaction(store, mode);
    const req = fn(t.objectStore(store));
    t.oncomplete = () => resolve(req?.result);
    t.onerror = () => reject(t.error ?? new Error(`IndexedDB ${store} ${mode} failed`));
    t.onabort = () => reject(t.error ?? new Error(`IndexedDB ${store} ${mode} aborted`));
  });
}

/** Puts every run in one readwrite transaction and commits it without waiting for the event loop. */
function putAll(d: IDBDatabase, runs: readonly StoredRun[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = d.transaction('runs', 'readwrite');
    const s = t.objectStore('runs');
    for (const r of runs) s.put(r);
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error ?? new Error('IndexedDB runs write failed'));
    t.onabort = () => reject(t.error ?? new Error('IndexedDB runs write aborted'));
    t.commit?.();
  });
}

export const idb = {
  putRuns: (runs: readonly StoredRun[]): Promise<void> =>
    opened ? putAll(opened, runs) : open().then((d) => putAll(d, runs)),
  deleteRun: (id: string) => tx('runs', 'readwrite', (s) => s.delete(id)).then(() => undefined),
  runs: async (): Promise<StoredRun[]> =>
    ((await tx('runs', 'readonly', (s) => s.getAll())) ?? []) as StoredRun[],
  putCheckpoint: (c: StoredCheckpoint) =>
    tx('checkpoints', 'readwrite', (s) => s.put(c)).then(() => undefined),
  deleteCheckpoint: (name: string) =>
    tx('checkpoints', 'readwrite', (s) => s.delete(name)).then(() => undefined),
  checkpoints: async (): Promise<StoredCheckpoint[]> =>
    ((await tx('checkpoints', 'readonly', (s) => s.getAll())) ?? []) as StoredCheckpoint[],
  checkpoint: async (name: string): Promise<StoredCheckpoint | undefined> =>
    (await tx('checkpoints', 'readonly', (s) => s.get(name))) as StoredCheckpoint | undefined,
};
