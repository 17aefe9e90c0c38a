// Checkpoints saved in this browser (IndexedDB): use one as the base of new runs, download it,
// delete it, or import a checkpoint file (validated fully before anything is stored).
import { useState } from 'react';
import { download } from '../export/download';
import { FileButton } from '../FileButton';
import { idb } from '../state/idb';
import { useStore } from '../state/store';
import { useManager } from './context';

export function CheckpointsPanel() {
  const m = useManager();
  const checkpoints = useStore((s) => s.checkpoints);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const draft = useStore((s) => s.draft);
  const setDraft = useStore((s) => s.setDraft);
  const onFile = async (f: File) => {
    setError(null);
    setInfo(null);
    try {
      const name = await m.importCheckpoint(f);
      setInfo(`Imported “${name}”.`);
    } catch (e) {
      setError(`${f.name} was not imported: ${(e as Error).message}`);
    }
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
