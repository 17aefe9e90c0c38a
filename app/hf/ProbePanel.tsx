// The critic probe in the page: the loaded transformers.js model judges the balanced critique set
// through an editable template and verdict parser; shows α, β, precision, recall, the confusion
// matrix and Appendix C's predicted pull at a chosen label ratio p.
import { useState } from 'react';
import { PROBE_SET_DEFAULTS, TEMPLATE_FIELDS, TEMPLATES, templateProblems } from '../../src/hf/probe.js';
import type { LoadResult, ProbeResult } from '../../src/hf/worker-protocol.js';
import { hfClient } from './hfClient';

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

export function ProbePanel({ model }: { model: LoadResult }) {
  const [preset, setPreset] = useState(model.task ? 'gcrl' : 'yes-no');
  const [tpl, setTpl] = useState(TEMPLATES[preset] as NonNullable<(typeof TEMPLATES)[string]>);
  const [ratio, setRatio] = useState(0.1);
  const [questions, setQuestions] = useState(64);
  const [progress, setProgress] = useState<string | null>(null);
  const [result, setResult] = useState<ProbeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const problems = templateProblems(tpl);

  const run = async () => {
    setError(null);
    setResult(null);
    try {
      const set = { ...PROBE_SET_DEFAULTS, ...(model.task ?? {}), seed: 0, limit: questions };
      setResult(await hfClient.probe(tpl, ratio, set, (d, t) => setProgress(`${d}/${t} critiques`)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setProgress(null);
    }
  };
  const s = result?.stats;
  const lean = !result
    ? ''
    : result.predicted.pull < 0
      ? 'toward “wrong”'
      : result.predicted.pull > 0
        ? 'toward “correct”'
        : 'neither way';

  return (
    <div className="hf-probe" data-testid="hf-probe">
      <h3>Critic probe</h3>
      <p className="muted">
        The balanced critique set: held-out questions, each with its correct answer and one plausible wrong
        answer. Template fields:{' '}
        {Object.keys(TEMPLATE_FIELDS)
          .map((k) => `{${k}}`)
          .join(' ')}
        .
      </p>
      <div className="row">
        <label>
          template{' '}
          <select
            value={preset}
            onChange={(e) => {
              setPreset(e.target.value);
              setTpl(TEMPLATES[e.target.value] as NonNullable<(typeof TEMPLATES)[string]>);
            }}
            data-testid="hf-probe-preset"
          >
            {Object.keys(TEMPLATES).map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          verdict “correct” /regex/{' '}
          <input
            value={tpl.ok}
            onChange={(e) => setTpl({ ...tpl, ok: e.target.value })}
            data-testid="hf-probe-ok"
          />
        </label>
        <label>
          verdict “wrong” /regex/{' '}
          <input
            value={tpl.bad}
            onChange={(e) => setTpl({ ...tpl, bad: e.target.value })}
            data-testid="hf-probe-bad"
          />
        </label>
        <label>
          max new tokens{' '}
          <input
            type="number"
            min={1}
            max={256}
            value={tpl.maxNewTokens}
            onChange={(e) => setTpl({ ...tpl, maxNewTokens: Number(e.target.value) })}
          />
        </label>
      </div>
      <textarea
        rows={4}
        cols={72}
        value={tpl.prompt}
        onChange={(e) => setTpl({ ...tpl, prompt: e.target.value })}
        aria-label="Probe prompt template"
        data-testid="hf-probe-template"
      />
      <div className="row">
        <label>
          label ratio p{' '}
          <input
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={ratio}
            onChange={(e) => setRatio(Number(e.target.value))}
            data-testid="hf-probe-ratio"
          />
        </label>
        <label>
          questions{' '}
          <input
            type="number"
            min={1}
            max={PROBE_SET_DEFAULTS.heldOutSize}
            value={questions}
            onChange={(e) => setQuestions(Number(e.target.value))}
            data-testid="hf-probe-questions"
          />
        </label>
        <button
          type="button"
          onClick={run}
          disabled={!!progress || problems.length > 0}
          data-testid="hf-probe-run"
        >
          Run the probe
        </button>
        {progress && <output data-testid="hf-probe-progress">{progress}</output>}
      </div>
      {problems.length > 0 && <p className="error">{problems.join('; ')}</p>}
      {error && (
        <p role="alert" className="error" data-testid="hf-probe-error">
          {error}
        </p>
      )}
      {result && s && (
        <div data-testid="hf-probe-result">
          <table className="samples">
            <tbody>
              <tr>
                <th>α P(says correct | correct)</th>
                <td data-testid="hf-probe-alpha">{f3(s.alpha)}</td>
                <th>β P(says wrong | wrong)</th>
                <td data-testid="hf-probe-beta">{f3(s.beta)}</td>
              </tr>
              <tr>
                <th>precision</th>
                <td>{f3(s.precision)}</td>
                <th>recall</th>
                <td>{f3(s.recall)}</td>
              </tr>
              <tr>
                <th>accuracy</th>
                <td>{f3(s.acc)}</td>
                <th>verdict rate</th>
                <td>{f3(s.verdictRate)}</td>
              </tr>
            </tbody>
          </table>
          <table className="samples" data-testid="hf-probe-confusion">
            <thead>
              <tr>
                <th />
                <th>says correct</th>
                <th>says wrong</th>
                <th>no verdict</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>response correct</th>
                <td>{s.confusion.tp}</td>
                <td>{s.confusion.fn}</td>
                <td>{s.confusion.noneOnCorrect}</td>
              </tr>
              <tr>
                <th>response wrong</th>
                <td>{s.confusion.fp}</td>
                <td>{s.confusion.tn}</td>
                <td>{s.confusion.noneOnWrong}</td>
              </tr>
            </tbody>
          </table>
          <p data-testid="hf-probe-predicted">
            Appendix C at p = {result.predicted.p}: expected critique reward unweighted 0.7·(p·α+(1−p)·β) ={' '}
            {f3(result.predicted.unweighted)}, weighted 0.7·(α+β)/2 = {f3(result.predicted.weighted)}.
            Unweighted RL would pull this critic {lean} (p − ½ = {f3(result.predicted.pull)}); the weighted
            reward pulls neither way.
          </p>
          <details>
            <summary>First outputs</summary>
            <ul>
              {result.samples.map((x) => (
                <li key={x.prompt}>
                  <code>{x.prompt}</code> → <code>{x.output}</code> ({x.verdict}, truth{' '}
                  {x.item.correct ? 'correct' : 'wrong'})
                </li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </div>
  );
}
