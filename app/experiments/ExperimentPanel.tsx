// One-click set-ups of the paper's comparisons (SPEC §5): each preset creates its runs (one per arm
// and seed), says what to look for, and puts the paper's numbers beside the live held-out ones and
// each finding's paired effect with its 95% interval and verdict (the same `judge` as `gcrl repro`).
import { useMemo, useState } from 'react';
import { EXPERIMENTS, judge } from '../../src/cli/experiments.js';
import { formatEffect } from '../../src/report/paired.js';
import { useManager } from '../runs/context';
import { useStore } from '../state/store';
import { TableHead } from '../TableHead';
import { seedValues } from './pairing';
import { type PageExperiment, pageExperiments, seededArms } from './presets';

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

/** Each finding as the seeds so far have it: A − B paired by seed, 95% t-interval, verdict. */
function LiveFindings({ experiment }: { experiment: string }) {
  const all = useStore((s) => s.runs);
  const rows = useStore((s) => s.rows);
  const e = EXPERIMENTS[experiment];
  const runs = all.filter((r) => r.experiment === experiment);
  if (!e || !runs.length) return null;
  const { values } = seedValues(
    runs,
    rows,
    e.arms.map((a) => a.label),
  );
  const results = judge(e, values);
  return (
    <table className="live-numbers" data-testid={`experiment-findings-${experiment}`}>
      <caption>
        Paired effects (same seed, A − B) in points, 95% t-interval over seeds; a verdict needs 2+ seeds
      </caption>
      <TableHead cols={['finding (A − B)', 'paper', 'effect [95% CI]', 'seeds', 'verdict']} />
      <tbody>
        {results.map(({ finding, effect }) => (
          <tr key={finding.label} data-verdict={effect.verdict}>
            <td>{finding.label}</td>
            <td>{finding.direction > 0 ? '> 0' : '< 0'}</td>
            <td>{formatEffect(effect)}</td>
            <td>{effect.n}</td>
            <td>{effect.verdict}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LaunchButton({ e }: { e: PageExperiment }) {
  const m = useManager();
  const [seeds, setSeeds] = useState(1);
  const draftSeed = e.arms[0]?.config.seed ?? 1;
  return (
    <p>
      <label title="Each arm runs at seeds s, s+1, …: a paired interval and a verdict need at least 2">
        Seeds per arm{' '}
        <select
          value={seeds}
          onChange={(ev) => setSeeds(Number(ev.target.value))}
          data-testid={`experiment-seeds-${e.id}`}
        >
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>{' '}
      <button
        type="button"
        className="primary"
        onClick={() => m.launch(seededArms(e, seeds), e.id)}
        data-testid={`experiment-launch-${e.id}`}
      >
        Create {e.arms.length * seeds} runs
      </button>{' '}
      <span className="muted">
        seeds {draftSeed}
        {seeds > 1 ? `–${draftSeed + seeds - 1}` : ''}
      </span>
    </p>
  );
}

export function ExperimentPanel() {
  const draft = useStore((s) => s.draft);
  const schedule = useStore((s) => s.schedule);
  const setSchedule = useStore((s) => s.setSchedule);
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
            <LaunchButton e={e} />
            <LiveNumbers experiment={e.id} />
            <LiveFindings experiment={e.id} />
          </details>
        ))}
      </div>
    </section>
  );
}
