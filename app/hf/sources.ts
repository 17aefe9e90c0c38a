// Where the Hugging Face panel's models come from: shipped checkpoints, checkpoints saved or
// imported in this browser, and live runs' current weights; each resolves to a worker source.
import type { HfSource } from '../../src/hf/worker-protocol.js';
import type { RunManager } from '../runs/runManager';
import { idb } from '../state/idb';

export interface SourceOption {
  key: string; // shipped:NAME | saved:NAME | run:ID
  label: string;
}

/** An entry of `public/models/index.json`. */
export interface ShippedModel {
  name: string;
  path: string; // relative to the site root
  description: string;
}

export async function shippedModels(): Promise<ShippedModel[]> {
  const r = await fetch(new URL('models/index.json', new URL(import.meta.env.BASE_URL, location.href)));
  if (!r.ok) throw new Error(`models/index.json: HTTP ${r.status}`);
  return (await r.json()) as ShippedModel[];
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'model';

/** The worker source for an option key. */
export async function resolveSource(
  key: string,
  shipped: readonly ShippedModel[],
  manager: RunManager,
  runName: (id: string) => string,
): Promise<HfSource> {
  const [kind, ...rest] = key.split(':');
  const ref = rest.join(':');
  if (kind === 'shipped') {
    const m = shipped.find((x) => x.name === ref);
    if (!m) throw new Error(`no shipped model named '${ref}'`);
    return {
      kind: 'url',
      url: new URL(m.path, new URL(import.meta.env.BASE_URL, location.href)).href,
      name: m.name,
    };
  }
  if (kind === 'saved') {
    const ck = await idb.checkpoint(ref);
    if (!ck) throw new Error(`“${ref}” is no longer in this browser's storage`);
    return { kind: 'bundle', bytes: ck.bytes.slice(), name: safeName(ref) };
  }
  if (kind === 'run') {
    const snap = await manager.snapshot(ref, safeName(runName(ref)));
    return { kind: 'bundle', bytes: snap.bytes, name: safeName(snap.name) };
  }
  throw new Error(`unknown model source '${key}'`);
}
