// "Try the model": a prompt (typed, or a task / critique question), greedy or sampled decoding,
// tokens streaming in from transformers.js in the worker.
import { useState } from 'react';
import { PROBE_SET_DEFAULTS, probeSet, renderPrompt } from '../../src/hf/probe.js';
import type { LoadResult } from '../../src/hf/worker-protocol.js';
import { hfClient } from './hfClient';

/** Question prompts in the model's own format when it is a playground export, else plain language. */
function questionPrompt(model: LoadResult, critique: boolean, pick: number): string {
  const items = probeSet({ ...PROBE_SET_DEFAULTS, ...(model.task ?? {}), seed: pick });
  const item = items[(pick * 2 + (pick % 2)) % items.length] as (typeof items)[number];
  const own = model.task !== null;
  if (critique)
    return renderPrompt(
      own ? '<bos><q>{question}<r>{response}<c>' : 'Is {expression} = {answer}? Reply yes or no.\nReply:',
      item,
    );
  return renderPrompt(own ? '<bos><q>{question}<r>' : 'Question: What is {expression}?\nAnswer:', item);
}

export function TryPanel({ model }: { model: LoadResult }) {
  const [prompt, setPrompt] = useState(() => questionPrompt(model, false, 0));
  const [sampled, setSampled] = useState(false);
  const [temperature, setTemperature] = useState(1);
  const [topK, setTopK] = useState(0);
  const [topP, setTopP] = useState(1);
  const [maxNew, setMaxNew] = useState(12);
  const [seed, setSeed] = useState(0);
  const [pick, setPick] = useState(1);
  const [output, setOutput] = useState('');
  const [stats, setStats] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(0); // finished generations (tests wait on it)
  const [error, setError] = useState<string | null>(null);

  const generate = async () => {
    setBusy(true);
    setError(null);
    setOutput('');
    setStats(null);
    try {
      const r = await hfClient.generate(
        { prompt, maxNewTokens: maxNew, temperature: sampled ? temperature : 0, topK, topP, seed },
        (text) => setOutput((o) => o + text),
      );
      setOutput(r.text);
      setStats(`${r.tokens.length} tokens in ${r.ms.toFixed(0)} ms`);
      if (sampled) setSeed((s) => s + 1);
      setDone((n) => n + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const question = (critique: boolean) => {
    setPrompt(questionPrompt(model, critique, pick));
    setPick((p) => p + 1);
  };
  const num = (set: (n: number) => void) => (e: React.ChangeEvent<HTMLInputElement>) =>
    set(Number(e.target.value));

  return (
    <div className="hf-try" data-testid="hf-try">
      <h3>Try the model</h3>
      <textarea
        rows={3}
        cols={72}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        data-testid="hf-prompt"
        aria-label="Prompt"
      />
      <div className="row">
        <button type="button" onClick={() => question(false)}>
          Task question
        </button>
        <button type="button" onClick={() => question(true)}>
          Critique question
        </button>
        <label>
          <input
            type="checkbox"
            checked={sampled}
            onChange={(e) => setSampled(e.target.checked)}
            data-testid="hf-sampled"
          />{' '}
          sample (else greedy)
        </label>
        {sampled && (
          <>
            <label>
              temperature{' '}
              <input
                type="number"
                min={0.05}
                max={5}
                step={0.05}
                value={temperature}
                onChange={num(setTemperature)}
              />
            </label>
            <label>
              top-k <input type="number" min={0} max={1000} value={topK} onChange={num(setTopK)} />
            </label>
            <label>
              top-p{' '}
              <input type="number" min={0.05} max={1} step={0.05} value={topP} onChange={num(setTopP)} />
            </label>
            <label>
              seed <input type="number" min={0} value={seed} onChange={num(setSeed)} />
            </label>
          </>
        )}
        <label>
          max new tokens{' '}
          <input
            type="number"
            min={1}
            max={256}
            value={maxNew}
            onChange={num(setMaxNew)}
            data-testid="hf-max-new"
          />
        </label>
        <button type="button" onClick={generate} disabled={busy || !prompt} data-testid="hf-generate">
          Generate
        </button>
      </div>
      <pre className="hf-output" data-testid="hf-output" data-done={done} aria-live="polite">
        {output}
      </pre>
      {stats && (
        <p className="muted" data-testid="hf-gen-stats">
          {stats}
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="hf-gen-error">
          {error}
        </p>
      )}
    </div>
  );
}
