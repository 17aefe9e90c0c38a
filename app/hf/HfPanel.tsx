// "Hugging Face" section of the Base model tab: export any shipped, saved, imported or live-run
// checkpoint as a transformers.js / Hugging Face folder (.tar), load a model into the HF worker
// (a checkpoint, an exported folder or .tar, or a Hub id), then try it and probe it as a critic.
import { useEffect, useState } from 'react';
import type { FolderEntry } from '../../src/hf/folder-check.js';
import { readTar } from '../../src/hf/tar.js';
import type { HfSource, LoadResult } from '../../src/hf/worker-protocol.js';
import { downloadBlob } from '../export/download';
import { FileButton } from '../FileButton';
import { useManager } from '../runs/context';
import { useStore } from '../state/store';
import { useAction } from '../useAction';
import { hfClient } from './hfClient';
import { ProbePanel } from './ProbePanel';
import { resolveSource, type ShippedModel, shippedModels } from './sources';
import { TryPanel } from './TryPanel';

const kb = (n: number) => `${(n / 1024).toFixed(n < 10_240 ? 1 : 0)} KB`;

export function HfPanel() {
  const manager = useManager();
  const runs = useStore((s) => s.runs);
  const saved = useStore((s) => s.checkpoints);
  const [shipped, setShipped] = useState<ShippedModel[]>([]);
  const [choice, setChoice] = useState('');
  const [hub, setHub] = useState('');
  const { busy, error, setError, act } = useAction();
  const [exported, setExported] = useState<string | null>(null);
  const [model, setModel] = useState<LoadResult | null>(null);

  useEffect(() => {
    shippedModels()
      .then((list) => {
        setShipped(list);
        setChoice((c) => c || (list[0] ? `shipped:${list[0].name}` : ''));
      })
      .catch((e: Error) => setError(e.message));
  }, [setError]);

  const runName = (id: string) => runs.find((r) => r.id === id)?.name ?? id;
  const source = () => resolveSource(choice, shipped, manager, runName);

  const exportIt = () =>
    act('Exporting…', async () => {
      const r = await hfClient.exportFolder(await source());
      downloadBlob(new Blob([r.bytes as BlobPart], { type: 'application/x-tar' }), `${r.name}.tar`);
      setExported(
        `${r.name}.tar: ${r.files.map((f) => `${f.path} (${kb(f.size)})`).join(', ')}. Unpack with “tar xf ${r.name}.tar”.`,
      );
    });
  const load = (s: () => Promise<HfSource>) =>
    act('Loading into transformers.js…', async () => {
      setModel(null);
      setModel(await hfClient.load(await s()));
    });
  const fromFiles = async (files: File[], name: string): Promise<FolderEntry[]> => {
    const all: FolderEntry[] = [];
    for (const f of files) {
      const bytes = new Uint8Array(await f.arrayBuffer());
      if (f.name.endsWith('.tar')) all.push(...readTar(bytes));
      else
        all.push({ path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, bytes });
    }
    if (!all.length) throw new Error(`${name}: no files`);
    return all;
  };

  return (
    <section className="panel hf-panel" aria-labelledby="hf-title" data-testid="hf-panel">
      <h2 id="hf-title">Hugging Face / transformers.js</h2>
      <p className="muted">
        Export a checkpoint as a folder that transformers.js (<code>pipeline('text-generation')</code>) and
        Python <code>GPT2LMHeadModel</code> load, or load one here and run it through transformers.js in a
        worker. See docs/huggingface.md.
      </p>
      <div className="row">
        <label>
          Checkpoint{' '}
          <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="hf-source">
            <optgroup label="Shipped">
              {shipped.map((m) => (
                <option key={m.name} value={`shipped:${m.name}`}>
                  {m.name}
                </option>
              ))}
            </optgroup>
            {saved.length > 0 && (
              <optgroup label="Saved or imported in this browser">
                {saved.map((c) => (
                  <option key={c.name} value={`saved:${c.name}`}>
                    {c.name}
                  </option>
                ))}
              </optgroup>
            )}
            {runs.length > 0 && (
              <optgroup label="Runs (current weights)">
                {runs.map((r) => (
                  <option key={r.id} value={`run:${r.id}`}>
                    {r.name} (step {r.step})
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        <button type="button" onClick={exportIt} disabled={!!busy || !choice} data-testid="hf-export">
          Export for transformers.js / Hugging Face (.tar)
        </button>
        <button type="button" onClick={() => load(source)} disabled={!!busy || !choice} data-testid="hf-load">
          Load for “Try the model”
        </button>
      </div>
      <div className="row">
        <FileButton
          label="Load an exported folder (.tar)"
          accept=".tar,application/x-tar"
          testId="hf-load-tar"
          onFile={async (f) =>
            load(async () => ({
              kind: 'folder',
              entries: await fromFiles([f], f.name),
              name: f.name.replace(/\.tar$/, ''),
            }))
          }
        />
        <label className="file-button">
          Load an exported folder
          <input
            type="file"
            multiple
            data-testid="hf-load-folder"
            ref={(el) => el?.setAttribute('webkitdirectory', '')}
            onChange={(e) => {
              const input = e.currentTarget;
              const files = [...(input.files ?? [])];
              const top =
                (files[0] as File & { webkitRelativePath?: string })?.webkitRelativePath?.split('/')[0] ||
                'folder';
              void load(async () => ({
                kind: 'folder',
                entries: await fromFiles(files, top),
                name: top,
              })).finally(() => {
                input.value = '';
              });
            }}
          />
        </label>
        <label>
          or a Hub id{' '}
          <input
            value={hub}
            placeholder="owner/model (needs the network)"
            onChange={(e) => setHub(e.target.value.trim())}
            data-testid="hf-hub-id"
          />
        </label>
        <button
          type="button"
          disabled={!!busy || !hub}
          onClick={() => load(async () => ({ kind: 'hub', id: hub }))}
        >
          Load from the Hub
        </button>
      </div>
      {busy && <output data-testid="hf-busy">{busy}</output>}
      {error && (
        <p role="alert" className="error" data-testid="hf-error">
          {error}
        </p>
      )}
      {exported && (
        <p className="muted" data-testid="hf-exported">
          {exported}
        </p>
      )}
      {model && (
        <>
          <p data-testid="hf-model">
            Loaded <strong>{model.name}</strong> ({model.summary}) in transformers.js.
          </p>
          <TryPanel model={model} />
          <ProbePanel model={model} />
        </>
      )}
    </section>
  );
}
