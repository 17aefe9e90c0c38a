// IndexedDB persistence: runs (config, status, metric rows) survive a reload, and checkpoints are
// kept by name. Small promise wrappers over the raw API; one database, two object stores.
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

function open(): Promise<IDBDatabase> {
  db ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      const d = req.result;
      if (!d.objectStoreNames.contains('runs')) d.createObjectStore('runs', { keyPath: 'id' });
      if (!d.objectStoreNames.contains('checkpoints'))
        d.createObjectStore('checkpoints', { keyPath: 'name' });
    };
    req.onsuccess = () => resolve(req.result);
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

export const idb = {
  putRun: (r: StoredRun) => tx('runs', 'readwrite', (s) => s.put(r)).then(() => undefined),
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
