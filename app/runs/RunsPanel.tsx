// The runs list: each run's status, step and backend, with start / pause / resume / step / stop /
// reset / duplicate / remove, chart visibility, exports and checkpoint saving.
import { useState } from 'react';
import { download, rowsToCsv, runToJson, slug } from '../export/download';
import { type RunRecord, useStore } from '../state/store';
import { TableHead } from '../TableHead';
import { useManager } from './context';
import { FINAL, LIVE, STATUS_HELP } from './lifecycle';

function RunRow({ run }: { run: RunRecord }) {
  const m = useManager();
  const rows = useStore((s) => s.rows[run.id]);
  const hidden = useStore((s) => s.hidden.includes(run.id));
  const focus = useStore((s) => s.focus === run.id);
  const { toggleHidden, setFocus, setNotice } = useStore.getState();
  const [busy, setBusy] = useState(false);
  const st = run.status;
  const final = FINAL.has(st);
  const noWeights = st === 'interrupted' || st === 'queued' || st === 'idle' || busy;
  const guard = (fn: () => Promise<unknown>) => async () => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const label = slug(run.name); // the worker adds `-step<N>` for the step the weights are from
  return (
    <tr data-testid="run-row" data-run-id={run.id} data-status={st} className={focus ? 'focused' : undefined}>
      <td>
        <input
          type="checkbox"
          checked={!hidden}
          onChange={() => toggleHidden(run.id)}
          aria-label={`show ${run.name} in the charts`}
          data-testid="run-visible"
        />
      </td>
      <td>
        <button
          type="button"
          className="run-name"
          onClick={() => setFocus(run.id)}
          title="Inspect this run's samples"
        >
          <span className="swatch" style={{ background: run.color }} aria-hidden="true" />
          {run.name}
        </button>
      </td>
      <td>
        <span className={`status status-${st}`} data-testid="run-status" title={STATUS_HELP[st]}>
          {st}
        </span>
        {run.error && (
          <div className="run-error" role="alert" data-testid="run-error">
            {run.error}
          </div>
        )}
      </td>
      <td data-testid="run-step">
        {run.step} / {run.config.steps}
      </td>
      <td className="muted">{run.backend ?? '—'}</td>
      <td className="run-actions">
        {st === 'running' ? (
          <button type="button" onClick={() => m.pause(run.id)} data-testid="run-pause">
            Pause
          </button>
        ) : (
          <button
            type="button"
            onClick={() => m.start(run.id)}
            disabled={final || LIVE.has(st) || busy}
            data-testid="run-start"
          >
            {st === 'paused' ? 'Resume' : 'Start'}
          </button>
        )}
        <button
          type="button"
          onClick={guard(() => m.step(run.id))}
          disabled={final || LIVE.has(st) || busy}
          data-testid="run-step-once"
          title="Run exactly one training step"
        >
          Step
        </button>
        <button type="button" onClick={() => m.stop(run.id)} disabled={final} data-testid="run-stop">
          Stop
        </button>
        <button
          type="button"
          onClick={() => m.reset(run.id)}
          disabled={st === 'creating'}
          data-testid="run-reset"
        >
          Reset
        </button>
        <button type="button" onClick={() => m.duplicate(run.id)} data-testid="run-duplicate">
          Duplicate
        </button>
        <button type="button" onClick={() => m.remove(run.id)} data-testid="run-remove">
          Remove
        </button>
        <button
          type="button"
          onClick={() => download(`gcrl-${slug(run.name)}.csv`, rowsToCsv(rows ?? []), 'text/csv')}
          disabled={!rows?.length}
          data-testid="run-export-csv"
        >
          CSV
        </button>
        <button
          type="button"
          onClick={() =>
            download(`gcrl-${slug(run.name)}.json`, runToJson(run, rows ?? []), 'application/json')
          }
          disabled={!rows?.length}
          data-testid="run-export-json"
        >
          JSON
        </button>
        <button
          type="button"
          onClick={guard(async () => {
            const name = await m.saveCheckpoint(run.id, label);
            setNotice({ kind: 'info', text: `Saved the weights as "${name}" in this browser.` });
          })}
          disabled={noWeights}
          data-testid="run-save-checkpoint"
          title="Save the current weights in this browser (IndexedDB)"
        >
          Save weights
        </button>
        <button
          type="button"
          onClick={guard(async () => {
            const snap = await m.snapshot(run.id, label);
            download(`${snap.name}.safetensors`, snap.bytes, 'application/octet-stream');
          })}
          disabled={noWeights}
          data-testid="run-download-checkpoint"
          title="Download the current weights as one safetensors file (config inside)"
        >
          Download weights
        </button>
      </td>
    </tr>
  );
}

export function RunsPanel() {
  const runs = useStore((s) => s.runs);
  if (!runs.length)
    return (
      <p className="muted" data-testid="runs-empty">
        No runs yet. Pick settings or an experiment preset, then press “New run”.
      </p>
    );
  return (
    <div className="table-scroll">
      <table className="runs" data-testid="runs">
        <caption className="visually-hidden">Training runs</caption>
        <TableHead cols={['chart', 'run', 'status', 'step', 'backend', 'actions']} />
        <tbody>
          {runs.map((r) => (
            <RunRow key={r.id} run={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
