// The samples inspector: the latest step's rollouts of the focused run — questions, responses with
// correctness, critiques with working and verdict, rewards and advantages.
import type { StepSamples } from '../../src/rl/trainer.js';
import { useStore } from '../state/store';
import { TableHead } from '../TableHead';

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const mark = (ok: boolean) => (ok ? '✓ correct' : '✗ wrong');

export function SamplesInspector() {
  const focus = useStore((s) => s.focus);
  const runs = useStore((s) => s.runs);
  const samples: StepSamples | undefined = useStore((s) => (focus ? s.samples[focus] : undefined));
  const setFocus = useStore((s) => s.setFocus);
  const run = runs.find((r) => r.id === focus);
  return (
    <section className="samples-inspector" data-testid="samples-inspector" aria-label="Samples inspector">
      <div className="samples-head">
        <label>
          Run{' '}
          <select
            value={focus ?? ''}
            onChange={(e) => setFocus(e.target.value || null)}
            data-testid="samples-run"
          >
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{run ? `latest step ${run.step}` : 'no run yet'}</span>
      </div>
      {!samples ? (
        <p className="muted">No rollouts yet: start or step a run to see its responses and critiques here.</p>
      ) : (
        <>
          <h3>First-order rollouts (responses)</h3>
          <p className="muted">
            Answers are written least significant digit first, zero-padded to a fixed width.
          </p>
          <table className="samples-table" data-testid="samples-responses">
            <TableHead cols={['question', 'response', 'verified', 'reward', 'advantage']} />
            <tbody>
              {samples.responses.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a step's samples are replaced wholesale, never reordered
                <tr key={`${i}-${r.question}`} className={r.ok ? 'ok' : 'bad'}>
                  <td>
                    <code>{r.question}</code>
                  </td>
                  <td>
                    <code>{r.response}</code>
                  </td>
                  <td>{mark(r.ok)}</td>
                  <td>{fmt(r.reward)}</td>
                  <td>{fmt(r.advantage)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Second-order rollouts (critiques)</h3>
          <p className="muted">
            A critique writes the answer it expects (least significant digit first), one mark per digit (
            <code>=</code> agrees with the response, <code>-</code> differs) and a verdict.
          </p>
          <table className="samples-table" data-testid="samples-critiques">
            <TableHead cols={['question', 'response judged', 'critique', 'verdict', 'reward', 'advantage']} />
            <tbody>
              {samples.critiques.map((c, i) => {
                const right = (c.verdict === 'correct') === c.ok && c.verdict !== 'none';
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a step's samples are replaced wholesale, never reordered
                  <tr key={`${i}-${c.question}`} className={right ? 'ok' : 'bad'}>
                    <td>
                      <code>{c.question}</code>
                    </td>
                    <td>
                      <code>{c.response}</code> ({mark(c.ok)})
                    </td>
                    <td>
                      <code>{c.critique}</code>
                    </td>
                    <td>
                      {c.verdict} {right ? '(right)' : '(wrong)'}
                    </td>
                    <td>{fmt(c.reward)}</td>
                    <td>{fmt(c.advantage)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {samples.refinements && samples.refinements.length > 0 && (
            <>
              <h3>Refinements (Eq. 4)</h3>
              <table className="samples-table" data-testid="samples-refinements">
                <TableHead cols={['question', 'critique', 'refined response', 'verified']} />
                <tbody>
                  {samples.refinements.map((f, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a step's samples are replaced wholesale, never reordered
                    <tr key={`${i}-${f.question}`} className={f.ok ? 'ok' : 'bad'}>
                      <td>
                        <code>{f.question}</code>
                      </td>
                      <td>
                        <code>{f.critique}</code>
                      </td>
                      <td>
                        <code>{f.response}</code>
                      </td>
                      <td>{mark(f.ok)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}
