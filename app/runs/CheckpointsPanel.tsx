// Checkpoints saved in this browser (IndexedDB): use one as the base of new runs, download it,
// delete it, or import a checkpoint file (checked against the model before anything is stored; a
// file named like a saved checkpoint replaces it only after the user confirms).
import { useState } from 'react';
import { download } from '../export/download';
import { FileButton } from '../FileButton';
import { idb } from '../state/idb';
import { useStore } from '../state/store';
import { useManager } from './context';
import type { ImportedCheckpoint } from './runManager';

export function CheckpointsPanel() {
  const m = useManager();
  const checkpoints = useStore((s) => s.checkpoints);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const draft = useStore((s) => s.draft);
  const setDraft = useStore((s) => s.setDraft);
  const [pending, setPending] = useState<ImportedCheckpoint | null>(null);
  const store = async (c: ImportedCheckpoint, replaced: boolean) => {
    try {
      await m.storeCheckpoint(c);
      setInfo(replaced ? `Replaced “${c.name}” with the imported file.` : `Imported “${c.name}”.`);
    } catch (e) {
      setError(`“${c.name}” was not stored: ${(e as Error).message}`);
    }
  };
  const onFile = async (f: File) => {
    setError(null);
    setInfo(null);
    setPending(null);
    let c: ImportedCheckpoint;
    try {
      c = await m.readCheckpointFile(f);
    } catch (e) {
      setError(`${f.name} was not imported: ${(e as Error).message}`);
      return;
    }
    if (useStore.getState().checkpoints.some((x) => x.name === c.name))
      setPending(c); // ask first
    else await store(c, false);
  };
  return (
    <section className="checkpoints" aria-labelledby="ck-title">
      <h2 id="ck-title">Saved checkpoints</h2>
      {checkpoints.length === 0 ? (
        <p className="muted">None yet: “Save weights” on a run keeps its current weights here.</p>
      ) : (
        <ul className="ck-list" data-testid="checkpoint-list">
          {checkpoints.map((c) => (
            <li key={c.name} data-testid="checkpoint-item">
              <span>
                <strong>{c.name}</strong>{' '}
                <span className="muted">
                  step {c.steps}, from {c.parent}
                </span>
              </span>
              <span className="ck-actions">
                <button
                  type="button"
                  disabled={draft.base === `saved:${c.name}`}
                  onClick={() => setDraft({ ...draft, base: `saved:${c.name}` })}
                >
                  Use as base
                </button>
                <button
                  type="button"
                  onClick={async () => {
                    const ck = await idb.checkpoint(c.name);
                    if (ck) download(`${c.name}.safetensors`, ck.bytes, 'application/octet-stream');
                    else setError(`“${c.name}” is no longer in this browser's storage`);
                  }}
                >
                  Download
                </button>
                <button
                  type="button"
                  onClick={async () => {
                    await idb.deleteCheckpoint(c.name);
                    await m.refreshCheckpoints();
                  }}
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {pending && (
        <div
          className="ck-confirm"
          role="alertdialog"
          aria-labelledby="ck-confirm-text"
          data-testid="checkpoint-replace-confirm"
        >
          <p id="ck-confirm-text">
            A checkpoint named “{pending.name}” is already saved here. Replace its weights with the imported
            file (step {pending.steps}, from {pending.parent})?
          </p>
          <button
            type="button"
            data-testid="checkpoint-replace-yes"
            onClick={() => {
              const c = pending;
              setPending(null);
              void store(c, true);
            }}
          >
            Replace
          </button>
          <button
            type="button"
            data-testid="checkpoint-replace-no"
            onClick={() => {
              setInfo(`Kept the saved “${pending.name}”; the file was not imported.`);
              setPending(null);
            }}
          >
            Keep the saved one
          </button>
        </div>
      )}
      <FileButton
        label="Import a checkpoint file (.safetensors bundle)"
        accept=".safetensors,application/octet-stream"
        testId="checkpoint-import"
        onFile={onFile}
      />
      {error && (
        <p className="error" role="alert" data-testid="checkpoint-error">
          {error}
        </p>
      )}
      {info && (
        <p className="muted" data-testid="checkpoint-info">
          {info}
        </p>
      )}
    </section>
  );
}
