// AdamW + global grad-norm clipping as ONNX, checked step by step against a plain-JS reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { type HostTensor, hostTensor } from '../../src/engine/dtype.js';
import { Graph, type Value } from '../../src/engine/graph.js';
import { ADAMW_DEFAULTS, type AdamWConfig, adamw } from '../../src/engine/optim.js';
import { Runtime } from '../../src/engine/runtime.js';
import { Rng } from '../../src/util/rng.js';

type Dt = 'float32' | 'float64';
interface JsParam {
  w: number[];
  m: number[];
  v: number[];
  decay: boolean;
}

/** Reference AdamW step (in place): clip by global norm, bias-corrected moments, decoupled decay. */
function jsAdamW(ps: JsParam[], grads: number[][], lr: number, t: number, cfg: AdamWConfig): number {
  const norm = Math.sqrt(grads.flat().reduce((s, g) => s + g * g, 0));
  const scale = Number.isFinite(cfg.maxGradNorm) ? Math.min(1, cfg.maxGradNorm / (norm + 1e-6)) : 1;
  const bc1 = 1 - cfg.beta1 ** t;
  const bc2 = 1 - cfg.beta2 ** t;
  ps.forEach((p, k) => {
    for (let i = 0; i < p.w.length; i++) {
      const g = (grads[k]?.[i] as number) * scale;
      p.m[i] = cfg.beta1 * (p.m[i] as number) + (1 - cfg.beta1) * g;
      p.v[i] = cfg.beta2 * (p.v[i] as number) + (1 - cfg.beta2) * g * g;
      const mHat = (p.m[i] as number) / bc1;
      const vHat = (p.v[i] as number) / bc2;
      let w = p.w[i] as number;
      if (p.decay) w -= lr * cfg.weightDecay * w;
      p.w[i] = w - (lr * mHat) / (Math.sqrt(vHat) + cfg.eps);
    }
  });
  return norm;
}

const SHAPES = [[3, 2], [4]] as const; // param 0 decays, param 1 does not
const DECAY = [true, false];
const LR = [0.01, 0.02, 0.005];

function adamwGraph(dt: Dt, cfg: AdamWConfig) {
  const g = new Graph(`adamw_${dt}`);
  const params = SHAPES.map((shape, k) => ({
    value: g.input(`w${k}`, dt, shape),
    grad: g.input(`g${k}`, dt, shape),
    m: g.input(`m${k}`, dt, shape),
    v: g.input(`v${k}`, dt, shape),
    decay: DECAY[k] as boolean,
  }));
  const res = adamw(params, g.input('lr', dt, []), g.input('step', dt, []), cfg);
  for (const [name, vals] of [
    ['w', res.params],
    ['m', res.m],
    ['v', res.v],
  ] as const) {
    vals.forEach((v: Value, k) => {
      g.output(v, `new.${name}${k}`);
    });
  }
  g.output(res.gradNorm, 'grad_norm');
  return g;
}

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

/** Runs 3 steps in ONNX (feeding w, m, v back) and in JS; returns the largest differences. */
async function compare(dt: Dt, cfg: AdamWConfig, gradStd: number) {
  const rng = new Rng(7);
  const program = await rt.compile(adamwGraph(dt, cfg).toOnnx());
  const js: JsParam[] = SHAPES.map((s, k) => {
    const n = s.reduce((a, b) => a * b, 1);
    const w = Array.from({ length: n }, () => rng.normal());
    return { w, m: Array(n).fill(0), v: Array(n).fill(0), decay: DECAY[k] as boolean };
  });
  const state: Record<string, HostTensor> = {};
  SHAPES.forEach((s, k) => {
    state[`w${k}`] = hostTensor(dt, s, js[k]?.w);
    state[`m${k}`] = hostTensor(dt, s);
    state[`v${k}`] = hostTensor(dt, s);
  });
  let maxDiff = 0;
  let maxNormDiff = 0;
  const norms: number[] = [];
  for (let t = 1; t <= 3; t++) {
    const grads = js.map((p) => p.w.map(() => gradStd * rng.normal()));
    const feeds: Record<string, HostTensor> = { ...state };
    SHAPES.forEach((s, k) => {
      feeds[`g${k}`] = hostTensor(dt, s, grads[k]);
    });
    feeds.lr = hostTensor(dt, [], [LR[t - 1] as number]);
    feeds.step = hostTensor(dt, [], [t]);
    const out = await program.runHost(feeds);
    const norm = jsAdamW(js, grads, LR[t - 1] as number, t, cfg);
    norms.push(norm);
    maxNormDiff = Math.max(maxNormDiff, Math.abs(Number(out.grad_norm?.data[0]) - norm) / norm);
    SHAPES.forEach((_, k) => {
      for (const [name, ref] of [
        ['w', js[k]?.w],
        ['m', js[k]?.m],
        ['v', js[k]?.v],
      ] as const) {
        const got = out[`new.${name}${k}`] as HostTensor;
        ref?.forEach((r, i) => {
          maxDiff = Math.max(maxDiff, Math.abs(Number(got.data[i]) - r));
        });
        state[`${name}${k}`] = got; // feed the outputs back
      }
    });
  }
  const onnxW = SHAPES.map((_, k) => Array.from(state[`w${k}`]?.data ?? [], Number));
  return { maxDiff, maxNormDiff, norms, finalW: js.map((p) => [...p.w]), onnxW };
}

describe('adamw', () => {
  const cfg: AdamWConfig = { ...ADAMW_DEFAULTS, weightDecay: 0.1, maxGradNorm: 1 };
  const tol: Record<Dt, number> = { float32: 1e-5, float64: 1e-12 };

  for (const dt of ['float64', 'float32'] as const) {
    it(`matches the JS reference over 3 steps with clipping engaged (${dt}, tol ${tol[dt]})`, async () => {
      const r = await compare(dt, cfg, 1);
      // 10 grads of std 1: the global norm is well above maxGradNorm = 1 at every step.
      for (const n of r.norms) expect(n).toBeGreaterThan(2 * cfg.maxGradNorm);
      expect(r.maxDiff).toBeLessThanOrEqual(tol[dt]);
      expect(r.maxNormDiff).toBeLessThanOrEqual(dt === 'float64' ? 1e-14 : 1e-6);
    });

    it(`matches the JS reference without clipping (${dt})`, async () => {
      const r = await compare(dt, { ...cfg, maxGradNorm: Number.POSITIVE_INFINITY }, 1);
      expect(r.maxDiff).toBeLessThanOrEqual(tol[dt]);
    });
  }

  it('clipping changes the update (so the clipped comparison is not vacuous)', async () => {
    const clipped = await compare('float64', cfg, 1);
    const unclipped = await compare('float64', { ...cfg, maxGradNorm: Number.POSITIVE_INFINITY }, 1);
    const diff = Math.max(
      ...clipped.finalW.flatMap((w, k) =>
        w.map((x, i) => Math.abs(x - (unclipped.finalW[k]?.[i] as number))),
      ),
    );
    expect(diff).toBeGreaterThan(1e-4);
  });

  it('applies weight decay only to params marked decay', async () => {
    // Zero gradients: Adam's step is 0, so only decay moves the weights: w * (1 - lr*wd) per step.
    const r = await compare('float64', cfg, 0);
    const decayed = await compare('float64', { ...cfg, weightDecay: 0 }, 0);
    const factor = LR.reduce((f, lr) => f * (1 - lr * cfg.weightDecay), 1);
    expect(factor).toBeLessThan(0.999);
    decayed.onnxW[0]?.forEach((w0, i) => {
      expect(r.onnxW[0]?.[i]).toBeCloseTo(w0 * factor, 12);
    });
    expect(r.onnxW[1]).toEqual(decayed.onnxW[1]);
  });
});
