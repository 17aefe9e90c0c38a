// One-click set-ups of the paper's comparisons (SPEC §5): each preset creates its runs, says what to
// look for, and puts the paper's numbers beside the live held-out ones.
import { useMemo } from 'react';
import { useManager } from '../runs/context';
import { useStore } from '../state/store';
import { TableHead } from '../TableHead';
import { pageExperiments } from './presets';

const pct = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(1)}%`;

function LiveNumbers({ experiment }: { experiment: string }) {
  const all = useStore((s) => s.runs);
  const rows = useStore((s) => s.rows);
  const runs = all.filter((r) => r.experiment === experiment);
  if (!runs.length) return null;
  const last = (id: string, k: string) => {
    const rs = rows[id] ?? [];
    for (let i = rs.length - 1; i >= 0; i--) if (rs[i]?.[k] !== undefined) return rs[i]?.[k];
    return undefined;
  };
  return (
    <table className="live-numbers" data-testid={`experiment-live-${experiment}`}>
      <TableHead cols={['run', 'step', 'held-out gen', 'critic acc', 'precision', 'recall', 'α', 'β']} />
      <tbody>
        {runs.map((r) => (
          <tr key={r.id}>
            <td>
              <span className="swatch" style={{ background: r.color }} aria-hidden="true" /> {r.name}
            </td>
            <td>{r.step}</td>
            <td>{pct(last(r.id, 'eval/gen/acc'))}</td>
            <td>{pct(last(r.id, 'eval/critic/acc'))}</td>
            <td>{pct(last(r.id, 'eval/critic/precision'))}</td>
            <td>{pct(last(r.id, 'eval/critic/recall'))}</td>
            <td>{pct(last(r.id, 'eval/critic/alpha'))}</td>
            <td>{pct(last(r.id, 'eval/critic/beta'))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ExperimentPanel() {
  const draft = useStore((s) => s.draft);
  const schedule = useStore((s) => s.schedule);
  const setSchedule = useStore((s) => s.setSchedule);
  const m = useManager();
  const exps = useMemo(() => pageExperiments(draft), [draft]);
  return (
    <section className="experiments" aria-labelledby="experiments-title">
      <div className="section-head">
        <h2 id="experiments-title">Paper experiments</h2>
        <label title="Run an experiment's arms at the same time, or one after another unattended">
          Arms run{' '}
          <select
            value={schedule}
            onChange={(e) => setSchedule(e.target.value as 'parallel' | 'queue')}
            data-testid="schedule"
          >
            <option value="queue">one after another</option>
            <option value="parallel">side by side</option>
          </select>
        </label>
      </div>
      <p className="muted">
        Each preset creates its runs from the current settings (task, sizes, seed, steps) and changes only
        what the comparison is about.
      </p>
      <div className="experiment-cards">
        {exps.map((e) => (
          <details key={e.id} className="experiment" data-testid={`experiment-${e.id}`}>
            <summary>
              <strong>{e.title}</strong>{' '}
              <span className="muted">— {e.arms.map((a) => a.label).join(' vs ')}</span>
            </summary>
            <p>
              <strong>Claim:</strong> {e.claim}.
            </p>
            <p>
              <strong>Look for:</strong> {e.lookFor}
            </p>
            <p>
              <strong>Paper:</strong> {e.paper}
            </p>
            <button
              type="button"
              className="primary"
              onClick={() => m.launch(e.arms, e.id)}
              data-testid={`experiment-launch-${e.id}`}
            >
              Create {e.arms.length} runs
            </button>
            <LiveNumbers experiment={e.id} />
          </details>
        ))}
      </div>
    </section>
  );
}
