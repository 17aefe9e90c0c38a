// Loads a shipped base checkpoint into the engine worker and shows sampled responses and the
// policy's critiques of them.
import { useEffect, useState } from 'react';
import { COLDSTART_DEFAULTS } from '../src/coldstart/run.js';
import type { ShowcaseRow } from '../src/eval/showcase.js';
import type { ModelInfo } from '../workers/protocol.js';
import type { EngineClient } from './engineClient';
import { type ShippedModel, shippedModels } from './hf/sources';
import { TableHead } from './TableHead';
import { useAction } from './useAction';

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(0)}%`);

export function ModelPanel({ engine }: { engine: EngineClient }) {
  const [models, setModels] = useState<ShippedModel[]>([]);
  const [choice, setChoice] = useState('');
  const [info, setInfo] = useState<ModelInfo | null>(null);
  const [rows, setRows] = useState<ShowcaseRow[]>([]);
  const { busy: running, error, setError, act } = useAction();
  const busy = running !== null;
  const [seed, setSeed] = useState(1);
  const [csSteps, setCsSteps] = useState(COLDSTART_DEFAULTS.steps);
  const [csProgress, setCsProgress] = useState<string | null>(null);

  useEffect(() => {
    shippedModels()
      .then((list) => {
        setModels(list);
        setChoice((c) => c || (list[0]?.name ?? ''));
      })
      .catch((e: Error) => setError(e.message));
  }, [setError]);

  const load = () =>
    act('Loading…', async () => {
      const m = models.find((x) => x.name === choice);
      if (!m) throw new Error(`no shipped model named '${choice}'`);
      await engine.ready;
      setRows([]);
      setInfo(await engine.request({ type: 'loadCheckpoint', url: new URL(m.path, location.href).href }));
    });
  const coldStart = () =>
    act('Cold start…', async () => {
      await engine.ready;
      setRows([]);
      const options = { ...COLDSTART_DEFAULTS, steps: csSteps };
      setInfo(
        await engine.request({ type: 'coldstart', options }, (e) => {
          if (e.step % 10 === 0 || e.step === csSteps) {
            setCsProgress(
              `cold start step ${e.step}/${csSteps} · loss ${e.loss.toFixed(3)} · ${e.ms.toFixed(0)} ms/step`,
            );
          }
        }),
      );
    });
  const sample = () =>
    act('Sampling…', async () => {
      setRows(await engine.request({ type: 'showcase', count: 8, seed, temperature: 1 }));
      setSeed((s) => s + 1);
    });

  return (
    <section className="panel" aria-labelledby="model-title">
      <h2 id="model-title">Base model</h2>
      <div className="row">
        <label>
          Checkpoint{' '}
          <select
            data-testid="model-select"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            disabled={busy}
          >
            {models.map((m) => (
              <option key={m.name} value={m.name} title={m.description}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="model-load" onClick={load} disabled={busy || !choice}>
          Load
        </button>
        <button type="button" data-testid="model-sample" onClick={sample} disabled={busy || !info}>
          Sample responses and critiques
        </button>
      </div>
      <div className="row">
        <label>
          or train one here: cold start steps{' '}
          <input
            type="number"
            min={1}
            max={20000}
            value={csSteps}
            data-testid="coldstart-steps"
            onChange={(e) => setCsSteps(Math.max(1, Math.min(20000, Number(e.target.value) || 1)))}
            disabled={busy}
          />
        </label>
        <button type="button" data-testid="coldstart-run" onClick={coldStart} disabled={busy}>
          Cold start in this browser
        </button>
        {csProgress && <output data-testid="coldstart-progress">{csProgress}</output>}
      </div>
      {running && <output data-testid="model-busy">{running}</output>}
      {error && (
        <p role="alert" className="error" data-testid="model-error">
          {error}
        </p>
      )}
      {info && (
        <p data-testid="model-info">
          {info.source === 'coldstart'
            ? 'Trained in this browser'
            : `Loaded ${info.source.split('/').filter(Boolean).pop()}`}
          : {info.config.nLayer} layers × width {info.config.dModel}, {info.parameters.toLocaleString('en')}{' '}
          parameters · cold start {info.provenance.steps} steps (seed {info.provenance.seed}) on{' '}
          {info.task.digits}-digit {info.task.family} · held-out accuracy {pct(info.metrics['eval/gen/acc'])},
          critique accuracy {pct(info.metrics['eval/critic/acc'])}
        </p>
      )}
      {rows.length > 0 && (
        <table className="samples" data-testid="model-samples">
          <TableHead cols={['question', 'response', 'truth', 'critique', 'verdict']} />
          <tbody>
            {rows.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are replaced as a whole
              <tr key={i}>
                <td>{r.question}</td>
                <td>
                  <code>{r.response}</code>
                </td>
                <td className={r.correct ? 'good' : 'bad'}>{r.correct ? 'correct' : 'wrong'}</td>
                <td>
                  <code>{r.critique}</code>
                </td>
                <td className={r.verdictRight ? 'good' : 'bad'}>
                  {r.verdict}
                  {r.verdictRight ? ' ✓' : ' ✗'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length > 0 && (
        <p className="hint">Answers are written least-significant digit first: 37+85= → 221 (= 122).</p>
      )}
    </section>
  );
}
