// Shared finite-difference gradient checker for the engine's unit tests (not a test file itself).
import { gradients } from '../../src/engine/autodiff.js';
import { type DType, type HostTensor, hostTensor, numel } from '../../src/engine/dtype.js';
import { Graph, type Shape, type Value } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops.js';
import type { Program, Runtime } from '../../src/engine/runtime.js';
import { Rng } from '../../src/util/rng.js';

/** One graph input of a case: float inputs are differentiated unless `wrt` is false. */
export interface InputSpec {
  shape: Shape;
  dtype?: DType; // default: the case's dtype
  /** Element generator; default standard normal. */
  gen?: (rng: Rng, i: number) => number;
  wrt?: boolean;
}

export interface GradCase {
  /** The GRAD_RULES key this case is written for (it must appear in the forward graph). */
  op: string;
  name: string;
  dtype?: 'float32' | 'float64'; // default float64
  inputs: Record<string, InputSpec>;
  build: (x: Record<string, Value>) => Value;
  eps?: number; // finite-difference step (default 1e-6 in float64, 1e-2 in float32)
  tol?: number; // max |analytic - numeric| <= tol * max(1, |numeric|) (default 1e-6 / 2e-2)
}

export interface GradReport {
  maxErr: number; // max over elements of |analytic - numeric| / max(1, |numeric|)
  maxAbsGrad: number; // largest |numeric| seen, to show the check is not vacuous
  tol: number;
}

const lossName = 'loss';

/** Inputs -> op output -> loss = sum(out * R) with R a fixed seeded random tensor. */
function buildLoss(
  g: Graph,
  c: GradCase,
  seed: number,
): { x: Record<string, Value>; out: Value; loss: Value } {
  const dt = c.dtype ?? 'float64';
  const x = Object.fromEntries(
    Object.entries(c.inputs).map(([k, s]) => [k, g.input(k, s.dtype ?? dt, s.shape)]),
  );
  const out = c.build(x);
  const rng = new Rng(seed ^ 0x9a11);
  const r = g.constant(
    out.dtype,
    out.shape,
    Array.from({ length: numel(out.shape) }, () => rng.normal()),
    'R',
  );
  return { x, out, loss: op.sum(op.mul(out, r)) };
}

/** Forward graph of the case, with its op output (for structure checks). */
export function caseGraph(c: GradCase): { graph: Graph; out: Value } {
  const g = new Graph(c.name);
  const { out } = buildLoss(g, c, 0);
  return { graph: g, out };
}

export function caseFeeds(c: GradCase, seed: number): Record<string, HostTensor> {
  const rng = new Rng(seed);
  const dt = c.dtype ?? 'float64';
  return Object.fromEntries(
    Object.entries(c.inputs).map(([k, s]) => {
      const gen = s.gen ?? ((r: Rng) => r.normal());
      const vals = Array.from({ length: numel(s.shape) }, (_, i) => gen(rng, i));
      return [k, hostTensor(s.dtype ?? dt, s.shape, vals)];
    }),
  );
}

/** Loss at `feeds`, read as a JS number. */
async function lossAt(p: Program, feeds: Record<string, HostTensor>): Promise<number> {
  const out = await p.runHost(feeds);
  return Number(out[lossName]?.data[0]);
}

/**
 * Central differences on every element of every differentiated input, against `gradients()`.
 * The actual perturbation (after rounding to the input's dtype) is used as the denominator.
 */
export async function checkCase(rt: Runtime, c: GradCase, seed = 1): Promise<GradReport> {
  const dt = c.dtype ?? 'float64';
  const eps = c.eps ?? (dt === 'float64' ? 1e-6 : 1e-2);
  const tol = c.tol ?? (dt === 'float64' ? 1e-6 : 2e-2);
  const wrtNames = Object.entries(c.inputs)
    .filter(([, s]) => (s.dtype ?? dt).startsWith('float') && s.wrt !== false)
    .map(([k]) => k);

  const fg = new Graph(`${c.name}_loss`);
  fg.output(buildLoss(fg, c, seed).loss, lossName);
  const gg = new Graph(`${c.name}_grad`);
  const { x, loss } = buildLoss(gg, c, seed);
  gg.output(loss, lossName);
  const grads = gradients(
    loss,
    wrtNames.map((k) => x[k] as Value),
  );
  wrtNames.forEach((k, i) => {
    gg.output(grads[i] as Value, `grad.${k}`);
  });
  const [fp, gp] = await Promise.all([rt.compile(fg.toOnnx()), rt.compile(gg.toOnnx())]);

  const feeds = caseFeeds(c, seed);
  const analytic = await gp.runHost(feeds);
  let maxErr = 0;
  let maxAbsGrad = 0;
  for (const k of wrtNames) {
    const base = feeds[k] as HostTensor;
    const a = analytic[`grad.${k}`] as HostTensor;
    for (let i = 0; i < base.data.length; i++) {
      const shifted = (d: number) => {
        const data = base.data.slice() as Float64Array;
        data[i] = (base.data[i] as number) + d;
        return { t: { ...base, data }, v: data[i] as number };
      };
      const plus = shifted(eps);
      const minus = shifted(-eps);
      const lp = await lossAt(fp, { ...feeds, [k]: plus.t });
      const lm = await lossAt(fp, { ...feeds, [k]: minus.t });
      const numeric = (lp - lm) / (plus.v - minus.v);
      const err = Math.abs(Number(a.data[i]) - numeric) / Math.max(1, Math.abs(numeric));
      maxErr = Math.max(maxErr, err);
      maxAbsGrad = Math.max(maxAbsGrad, Math.abs(numeric));
    }
  }
  return { maxErr, maxAbsGrad, tol };
}

// ---- input generators -----------------------------------------------------------------------

/** Normal values pushed at least `gap` away from 0 (for kinks: Relu, Abs, Clip at 0). */
export const awayFromZero =
  (gap = 0.1) =>
  (r: Rng): number => {
    const v = r.normal();
    return v >= 0 ? v + gap : v - gap;
  };

/** Uniform in [lo, hi) (e.g. positive bases for Log, Sqrt, Pow). */
export const uniform =
  (lo: number, hi: number) =>
  (r: Rng): number =>
    lo + (hi - lo) * r.next();

/** A fixed list of values, repeated. */
export const fixed =
  (values: readonly number[]) =>
  (_r: Rng, i: number): number =>
    values[i % values.length] as number;

/** A host tensor's elements as plain numbers ([] when it is missing, so comparisons fail). */
export const nums = (t: HostTensor | undefined): number[] =>
  t ? Array.from(t.data as ArrayLike<number>, Number) : [];
