// Trains the toy transformer on the reversal task on any backend, keeping weights and optimiser
// state resident between steps. Shared by the Node tests, the browser worker and the benchmark.
import { hostTensor } from '../engine/dtype.js';
import type { Runtime } from '../engine/runtime.js';
import { ResidentState } from '../engine/state.js';
import { initParams } from '../nn/params.js';
import { Rng } from '../util/rng.js';
import { TOY_VOCAB, toyBatch, toySeqLen } from './reverse-task.js';
import { TOY_DEFAULTS, type ToyConfig, toyTrainStepGraph } from './transformer.js';

export interface ToyTrainOptions {
  steps: number;
  seed: number; // seeds both the initial weights and the batches
  lr: number; // peak learning rate (default 3e-3), linear warm-up over the first 10 steps
  digits: number; // length of the strings to reverse (default 4)
  config?: Partial<ToyConfig>;
  onStep?: (s: ToyStepReport) => void;
}

export interface ToyStepReport {
  step: number;
  loss: number;
  gradNorm: number;
  ms: number;
}

export interface ToyTrainResult {
  losses: number[];
  gradNorms: number[];
  compileMs: number;
  stepMs: number[];
  /** Resident weight and optimiser tensors after the last step, and how many were GPU buffers. */
  resident: { tensors: number; onGpu: number };
}

export async function trainToy(rt: Runtime, opts: Partial<ToyTrainOptions> = {}): Promise<ToyTrainResult> {
  const { steps = 200, seed = 1, lr = 3e-3, digits = 4 } = opts;
  const cfg: ToyConfig = {
    ...TOY_DEFAULTS,
    vocab: TOY_VOCAB.size,
    seqLen: toySeqLen(digits),
    ...opts.config,
    dtype: 'float32',
  };
  const t0 = performance.now();
  const { graph, specs, feedback } = toyTrainStepGraph(cfg);
  const program = await rt.compile(graph.toOnnx(), { resident: Object.keys(feedback) });
  const compileMs = performance.now() - t0;
  const state = new ResidentState(rt);
  for (const [name, t] of initParams(specs, seed)) {
    state.set(name, t);
    state.set(`m.${name}`, hostTensor('float32', t.shape));
    state.set(`v.${name}`, hostTensor('float32', t.shape));
  }
  const rng = new Rng(seed ^ 0x5eed);
  const res: ToyTrainResult = {
    losses: [],
    gradNorms: [],
    compileMs,
    stepMs: [],
    resident: { tensors: 0, onGpu: 0 },
  };
  try {
    for (let s = 1; s <= steps; s++) {
      const ts = performance.now();
      const b = toyBatch(rng, cfg.batch, digits);
      const shape = [cfg.batch, cfg.seqLen];
      const out = await state.step(
        program,
        {
          tokens: { dtype: 'int32', shape, data: b.tokens },
          targets: { dtype: 'int32', shape, data: b.targets },
          mask: { dtype: 'float32', shape, data: b.mask },
          lr: hostTensor('float32', [], [lr * Math.min(1, s / 10)]),
          step: hostTensor('float32', [], [s]),
        },
        feedback,
      );
      const loss = Number(out.loss?.data[0]);
      const gradNorm = Number(out.grad_norm?.data[0]);
      const ms = performance.now() - ts;
      res.losses.push(loss);
      res.gradNorms.push(gradNorm);
      res.stepMs.push(ms);
      opts.onStep?.({ step: s, loss, gradNorm, ms });
      if (!Number.isFinite(loss)) throw new Error(`toy training diverged at step ${s}: loss ${loss}`);
    }
    res.resident = { tensors: state.names.length, onGpu: state.onGpuCount };
  } finally {
    state.dispose();
  }
  return res;
}
