// A one-click engine check: trains the engine's proof model (reverse a 4-digit string) in the
// worker on the current backend and shows the loss falling, so a visitor sees the engine work.
import { useState } from 'react';
import type { EngineClient } from './engineClient';

type Status =
  | { kind: 'idle' }
  | { kind: 'running'; step: number; loss: number; ms: number }
  | { kind: 'done'; first: number; last: number; msPerStep: number }
  | { kind: 'error'; message: string };

const STEPS = 200;

export function EngineCheck({ engine }: { engine: EngineClient }) {
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const run = async () => {
    setStatus({ kind: 'running', step: 0, loss: Number.NaN, ms: 0 });
    try {
      await engine.ready;
      const res = await engine.request({ type: 'trainToy', opts: { steps: STEPS, seed: 1 } }, (e) => {
        if (e.step % 5 === 0 || e.step === STEPS)
          setStatus({ kind: 'running', step: e.step, loss: e.loss, ms: e.ms });
      });
      const ms = res.stepMs.slice(10).sort((a, b) => a - b);
      setStatus({
        kind: 'done',
        first: res.losses[0] ?? Number.NaN,
        last: res.losses.at(-1) ?? Number.NaN,
        msPerStep: ms[Math.floor(ms.length / 2)] ?? Number.NaN,
      });
    } catch (err) {
      setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <section className="engine-check" aria-labelledby="engine-check-title">
      <h2 id="engine-check-title">Engine check</h2>
      <p>
        Trains a one-block transformer to reverse 4-digit strings ({STEPS} AdamW steps, forward, backward and
        update fused in one ONNX graph) on this page's backend. The loss should fall from about 2.3 (chance)
        to near 0.
      </p>
      <button type="button" data-testid="engine-check-run" onClick={run} disabled={status.kind === 'running'}>
        {status.kind === 'running' ? 'Training…' : 'Run engine check'}
      </button>
      <output data-testid="engine-check-status" aria-live="polite">
        {status.kind === 'running' &&
          `step ${status.step}/${STEPS} · loss ${status.loss.toFixed(4)} · ${status.ms.toFixed(1)} ms/step`}
        {status.kind === 'done' &&
          `done: loss ${status.first.toFixed(3)} → ${status.last.toFixed(4)} · ${status.msPerStep.toFixed(1)} ms/step`}
        {status.kind === 'error' && `error: ${status.message}`}
      </output>
    </section>
  );
}
