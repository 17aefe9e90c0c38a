// The documented window test hook (docs/testing.md): read-only page and engine access for
// Playwright, installed only when asked for (?testhook=1 or a VITE_GCRL_TESTHOOK=1 build).
import type { HostTensor } from '../src/engine/dtype.js';
import { typedArray } from '../src/engine/dtype.js';
import type { EngineClient } from './engineClient';
import { idb } from './state/idb';
import { useStore } from './state/store';

/** Tensors as plain JSON (data as a number array) so page.evaluate can carry them. */
export interface JsonTensor {
  dtype: HostTensor['dtype'];
  shape: number[];
  data: number[];
}

const fromJson = (t: JsonTensor): HostTensor => ({
  dtype: t.dtype,
  shape: t.shape,
  data: typedArray(t.dtype, t.data),
});
const toJson = (t: HostTensor): JsonTensor => ({
  dtype: t.dtype,
  shape: [...t.shape],
  data: Array.from(t.data, Number),
});

/** A read-only copy of what the page shows: runs (with status and step), the draft config, URL errors. */
function snapshot() {
  const s = useStore.getState();
  return structuredClone({
    runs: s.runs.map((r) => ({ ...r, rows: s.rows[r.id]?.length ?? 0 })),
    draft: s.draft,
    urlErrors: s.urlErrors,
    focus: s.focus,
  });
}

function createHook(engine: EngineClient) {
  return {
    /** Page state (copies; changing them changes nothing). */
    state: snapshot,
    /** Every metric row a run has logged (flat keys, as in the CLI's JSON lines). */
    rows: (runId: string) => structuredClone(useStore.getState().rows[runId] ?? []),
    /** Saved checkpoint names in this browser. */
    checkpoints: () => useStore.getState().checkpoints.map((c) => c.name),
    /** A saved checkpoint's bundle bytes, base64 (undefined when there is none of that name). */
    async checkpointBase64(name: string): Promise<string | undefined> {
      const ck = await idb.checkpoint(name);
      if (!ck) return undefined;
      let bin = '';
      for (let i = 0; i < ck.bytes.length; i += 0x8000)
        bin += String.fromCharCode(...ck.bytes.subarray(i, i + 0x8000));
      return btoa(bin);
    },
    /** The runs saved in this browser's IndexedDB as they are now: id, status, step, row count. */
    async storedRuns() {
      return (await idb.runs()).map((r) => ({
        id: r.id,
        status: r.status,
        step: r.step,
        rows: r.rows.length,
      }));
    },
    engine: {
      ready: () => engine.ready,
      /** Runs ONNX model bytes (base64) with JSON feeds; returns JSON outputs and ORT's placement log. */
      async run(modelBase64: string, feeds: Record<string, JsonTensor>, logPlacement = false) {
        const model = Uint8Array.from(atob(modelBase64), (c) => c.charCodeAt(0));
        const res = await engine.request({
          type: 'run',
          model,
          feeds: Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, fromJson(v)])),
          logPlacement,
        });
        const outputs = Object.fromEntries(Object.entries(res.outputs).map(([k, v]) => [k, toJson(v)]));
        return { outputs, placement: res.placement, ms: res.ms };
      },
      trainToy: (opts: { steps?: number; seed?: number; lr?: number; digits?: number }) =>
        engine.request({ type: 'trainToy', opts }),
    },
  };
}

/** The shape of `window.__gcrl`. */
export type GcrlTestHook = ReturnType<typeof createHook>;

declare global {
  interface Window {
    __gcrl: GcrlTestHook;
  }
}

export function installTestHook(engine: EngineClient): void {
  window.__gcrl = Object.freeze(createHook(engine));
}
