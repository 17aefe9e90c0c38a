// Named parameter specs with seeded initialisation, and their graph inputs for a given dtype.
import type { DType, HostTensor } from '../engine/dtype.js';
import { hostTensor, numel } from '../engine/dtype.js';
import type { Graph, Shape, Value } from '../engine/graph.js';
import { Rng } from '../util/rng.js';

export type Init = { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };

export interface ParamSpec {
  readonly name: string;
  readonly shape: Shape;
  readonly init: Init;
  readonly decay: boolean; // weight decay applies (matrices yes; biases, norms no)
}

/** A weight matrix drawn from N(0, std²), with weight decay. */
export const normalParam = (name: string, shape: number[], std = 0.02): ParamSpec => ({
  name,
  shape,
  init: { kind: 'normal', std },
  decay: true,
});
/** A bias vector (zeros) or a norm gain (ones), without weight decay. */
export const zerosParam = (name: string, n: number): ParamSpec => ({
  name,
  shape: [n],
  init: { kind: 'zeros' },
  decay: false,
});
export const onesParam = (name: string, n: number): ParamSpec => ({
  name,
  shape: [n],
  init: { kind: 'ones' },
  decay: false,
});

/** Initial values for every spec, reproducible from `seed` (specs are drawn in order). */
export function initParams(
  specs: readonly ParamSpec[],
  seed: number,
  dtype: DType = 'float32',
): Map<string, HostTensor> {
  const rng = new Rng(seed);
  const out = new Map<string, HostTensor>();
  for (const s of specs) {
    const n = numel(s.shape);
    const init = s.init;
    const values = Array.from({ length: n }, () =>
      init.kind === 'normal' ? init.std * rng.normal() : init.kind === 'ones' ? 1 : 0,
    );
    out.set(s.name, hostTensor(dtype, s.shape, values));
  }
  return out;
}

/** Declares one graph input per spec and returns them by name. */
export function paramInputs(
  g: Graph,
  specs: readonly ParamSpec[],
  dtype: DType = 'float32',
): Record<string, Value> {
  return Object.fromEntries(specs.map((s) => [s.name, g.input(s.name, dtype, s.shape)]));
}
