// The Hugging Face worker: transformers.js off the main thread. Exports checkpoints as model
// folders, loads a model (from a checkpoint, an exported folder or the Hub), generates with
// streamed text and runs the critic probe; the logic lives in src/hf/.
import { type Checkpoint, fetchCheckpoint, unpackCheckpoint } from '../src/checkpoint/checkpoint.js';
import { exportHf } from '../src/hf/export.js';
import { type FolderEntry, folderRoot, memoryReader } from '../src/hf/folder-check.js';
import { probeSet, runProbe } from '../src/hf/probe.js';
import { writeTar } from '../src/hf/tar.js';
import { HfTextModel } from '../src/hf/tjs.js';
import type { HfRequest, HfSource, LoadResult } from '../src/hf/worker-protocol.js';
import { serve } from './serve.js';

let model: HfTextModel | null = null;
let loaded: LoadResult | null = null;
const post = (msg: unknown) => (self as unknown as Worker).postMessage(msg);

async function checkpointOf(s: HfSource): Promise<Checkpoint> {
  if (s.kind === 'url') return fetchCheckpoint(s.url);
  if (s.kind === 'bundle') return unpackCheckpoint(s.bytes);
  throw new Error(`a ${s.kind} source is already a model, not a checkpoint`);
}

/** The folder's files for a source (a checkpoint is exported first). */
async function entriesOf(s: HfSource): Promise<FolderEntry[]> {
  if (s.kind === 'folder') return folderRoot(s.entries);
  return exportHf(await checkpointOf(s), { name: 'name' in s ? s.name : undefined });
}

function summary(name: string, entries: readonly FolderEntry[] | null): LoadResult {
  const cfgBytes = entries?.find((e) => e.path === 'config.json')?.bytes;
  const cfg = cfgBytes ? (JSON.parse(new TextDecoder().decode(cfgBytes)) as Record<string, unknown>) : {};
  const sizes = ['n_layer', 'n_head', 'n_embd', 'vocab_size']
    .filter((k) => k in cfg)
    .map((k) => `${k} ${cfg[k]}`);
  const gcrl = cfg.gcrl as { data?: { task?: LoadResult['task'] } } | undefined;
  return {
    name,
    summary: [String(cfg.model_type ?? 'model'), ...sizes].join(', '),
    task: gcrl?.data?.task ?? null,
  };
}

async function load(s: HfSource, wasmPaths: string): Promise<LoadResult> {
  await model?.dispose();
  model = null;
  loaded = null;
  if (s.kind === 'hub') {
    model = await HfTextModel.load(s.id, { allowRemote: true, wasmPaths, dtype: s.dtype }).catch(
      (e: Error) => {
        throw new Error(
          `${s.id}: ${e.message} (the Hub needs the network, and the page's Content-Security-Policy must allow ` +
            'huggingface.co in connect-src; otherwise use `gcrl probe --model ID`, or download the model and load its folder)',
        );
      },
    );
    loaded = summary(s.id, null);
    return loaded;
  }
  const entries = await entriesOf(s);
  const files = new Map(entries.map((e) => [`${s.name}/${e.path}`, e.bytes]));
  model = await HfTextModel.load(s.name, { files, wasmPaths, folder: memoryReader(entries) });
  loaded = summary(s.name, entries);
  return loaded;
}

serve<HfRequest>(async (id, req) => {
  switch (req.type) {
    case 'export': {
      const entries = await entriesOf(req.source);
      const name = 'name' in req.source ? req.source.name : 'model';
      const bytes = writeTar(entries.map((e) => ({ path: `${name}/${e.path}`, bytes: e.bytes })));
      return { name, bytes, files: entries.map((e) => ({ path: e.path, size: e.bytes.length })) };
    }
    case 'load':
      return load(req.source, req.wasmPaths);
    case 'generate': {
      if (!model) throw new Error('no model is loaded: load one first');
      const r = req.request;
      const t0 = performance.now();
      const out = await model.generate(r.prompt, {
        maxNewTokens: r.maxNewTokens,
        temperature: r.temperature,
        topK: r.topK,
        topP: r.topP,
        seed: r.seed,
        onText: (text) => post({ id, kind: 'text', text }),
      });
      return { ...out, ms: performance.now() - t0 };
    }
    case 'probe': {
      const m = model;
      if (!m) throw new Error('no model is loaded: load one first');
      const items = probeSet(req.set);
      const [report, metrics] = await runProbe(
        async (prompt, n) => (await m.generate(prompt, { maxNewTokens: n })).text,
        items,
        req.template,
        req.ratio,
        (done, total) => post({ id, kind: 'progress', done, total, stage: 'probe' }),
      );
      return { ...report, metrics, samples: report.samples.slice(0, 12) };
    }
  }
});
