// The per-op gradient-check cases (one or more per GRAD_RULES key), kept apart from the runner.
import * as op from '../../src/engine/ops.js';
import type { Rng } from '../../src/util/rng.js';
import { awayFromZero, fixed, type GradCase, uniform } from './gradcheck.js';

const f = (...shape: number[]) => ({ shape });
const positive = (...shape: number[]) => ({ shape, gen: uniform(0.5, 2) });
const nonzero = (...shape: number[]) => ({ shape, gen: awayFromZero(0.5) });
/** Two interleaved grids 0.15 apart: elementwise Min/Max never tie (or come within eps). */
const gridA = (r: Rng) => 0.3 * r.int(10) + 0.01 * r.next();
const gridB = (r: Rng) => 0.3 * r.int(10) + 0.15 + 0.01 * r.next();
/** Distinct values at least ~0.09 apart within any reduction group (no ReduceMax ties). */
const distinct = (n: number) => (r: Rng, i: number) => 0.1 * ((i * 7) % n) + 0.01 * r.next();

export const GRAD_CASES: GradCase[] = [
  { op: 'Identity', name: 'identity', inputs: { x: f(2, 3) }, build: ({ x }) => op.identity(x) },
  { op: 'Add', name: 'add [2,3]+[3]', inputs: { a: f(2, 3), b: f(3) }, build: ({ a, b }) => op.add(a, b) },
  {
    op: 'Add',
    name: 'add [2,1,3]+[4,1] and a scalar input',
    inputs: { a: f(2, 1, 3), b: f(4, 1), s: f() },
    build: ({ a, b, s }) => op.add(op.add(a, b), s),
  },
  {
    op: 'Sub',
    name: 'sub [2,1]-[1,3]',
    inputs: { a: f(2, 1), b: f(1, 3) },
    build: ({ a, b }) => op.sub(a, b),
  },
  {
    op: 'Mul',
    name: 'mul [2,1]*[1,3]',
    inputs: { a: f(2, 1), b: f(1, 3) },
    build: ({ a, b }) => op.mul(a, b),
  },
  {
    op: 'Mul',
    name: 'mul x*x (fan-out accumulates)',
    inputs: { x: f(2, 3) },
    build: ({ x }) => op.mul(x, x),
  },
  {
    op: 'Div',
    name: 'div [2,3]/[2,1]',
    inputs: { a: f(2, 3), b: nonzero(2, 1) },
    build: ({ a, b }) => op.div(a, b),
  },
  {
    op: 'Pow',
    name: 'pow positive base [2,3] ** [3], both operands',
    inputs: { a: positive(2, 3), b: f(3) },
    build: ({ a, b }) => op.pow(a, b),
  },
  {
    op: 'Max',
    name: 'max [2,3] vs [3] (no ties)',
    inputs: { a: { shape: [2, 3], gen: gridA }, b: { shape: [3], gen: gridB } },
    build: ({ a, b }) => op.max(a, b),
  },
  {
    op: 'Min',
    name: 'min [2,1] vs [1,3] (no ties)',
    inputs: { a: { shape: [2, 1], gen: gridB }, b: { shape: [1, 3], gen: gridA } },
    build: ({ a, b }) => op.min(a, b),
  },
  { op: 'Neg', name: 'neg', inputs: { x: f(2, 3) }, build: ({ x }) => op.neg(x) },
  { op: 'Exp', name: 'exp', inputs: { x: f(2, 3) }, build: ({ x }) => op.exp(x) },
  { op: 'Log', name: 'log of positive', inputs: { x: positive(2, 3) }, build: ({ x }) => op.log(x) },
  { op: 'Sqrt', name: 'sqrt of positive', inputs: { x: positive(2, 3) }, build: ({ x }) => op.sqrt(x) },
  { op: 'Tanh', name: 'tanh', inputs: { x: f(2, 3) }, build: ({ x }) => op.tanh(x) },
  { op: 'Sigmoid', name: 'sigmoid', inputs: { x: f(2, 3) }, build: ({ x }) => op.sigmoid(x) },
  // float32 fallback: onnxruntime-node's CPU EP has no float64 Erf kernel ("Could not find an
  // implementation for Erf(13)"), so this case runs in float32 with eps 1e-2 and tol 2e-2.
  {
    op: 'Erf',
    name: 'erf (float32)',
    dtype: 'float32',
    inputs: { x: f(2, 3) },
    build: ({ x }) => op.erf(x),
  },
  {
    op: 'Gelu',
    name: 'gelu (tanh approximation) over [-4, 4]',
    inputs: { x: { shape: [3, 4], gen: uniform(-4, 4) } },
    build: ({ x }) => op.gelu(x),
  },
  {
    op: 'Relu',
    name: 'relu away from 0',
    inputs: { x: { shape: [2, 4], gen: awayFromZero() } },
    build: ({ x }) => op.relu(x),
  },
  {
    op: 'Abs',
    name: 'abs away from 0',
    inputs: { x: { shape: [2, 4], gen: awayFromZero() } },
    build: ({ x }) => op.abs(x),
  },
  { op: 'Reciprocal', name: 'reciprocal', inputs: { x: nonzero(2, 3) }, build: ({ x }) => op.reciprocal(x) },
  {
    op: 'Cast',
    name: 'cast float64 -> float32 -> float64',
    inputs: { x: f(2, 3) },
    build: ({ x }) => op.cast(op.cast(x, 'float32'), 'float64'),
    eps: 1e-3, // the float32 round trip adds ~6e-8 noise; a wider step keeps it small
    tol: 1e-4,
  },
  {
    op: 'Cast',
    name: 'cast float32 input -> float64',
    inputs: { x: { shape: [2, 3], dtype: 'float32' } },
    build: ({ x }) => op.mul(op.cast(x, 'float64'), op.cast(x, 'float64')),
  },
  {
    op: 'Where',
    name: 'where(cond [2,3], a [2,3], b [3])',
    inputs: { c: { shape: [2, 3], dtype: 'bool', gen: (r) => +(r.next() < 0.5) }, a: f(2, 3), b: f(3) },
    build: ({ c, a, b }) => op.where(c, a, b),
  },
  {
    op: 'Where',
    name: 'where(cond [2,1], a [1,3], scalar)',
    inputs: { c: { shape: [2, 1], dtype: 'bool', gen: fixed([1, 0]) }, a: f(1, 3) },
    build: ({ c, a }) => op.where(c, a, 0.5),
  },
  {
    op: 'Clip',
    name: 'clip(x, -0.5, 0.5) away from the bounds',
    inputs: { x: { shape: [2, 5], gen: fixed([-1.3, -0.7, -0.3, 0.1, 0.4, 0.7, 1.1, -0.05, 0.25, 2]) } },
    build: ({ x }) => op.clip(x, -0.5, 0.5),
  },
  {
    op: 'Clip',
    name: 'clip(x, lo only)',
    inputs: { x: { shape: [2, 4], gen: awayFromZero() } },
    build: ({ x }) => op.clip(x, 0),
  },
  {
    op: 'MatMul',
    name: 'matmul [3,4]@[4,5]',
    inputs: { a: f(3, 4), b: f(4, 5) },
    build: ({ a, b }) => op.matmul(a, b),
  },
  {
    op: 'MatMul',
    name: 'matmul [2,3,4]@[4,5] (batch broadcast)',
    inputs: { a: f(2, 3, 4), b: f(4, 5) },
    build: ({ a, b }) => op.matmul(a, b),
  },
  {
    op: 'MatMul',
    name: 'matmul [2,1,3,4]@[3,4,2] (batch broadcast both ways)',
    inputs: { a: f(2, 1, 3, 4), b: f(3, 4, 2) },
    build: ({ a, b }) => op.matmul(a, b),
  },
  {
    op: 'Gather',
    name: 'gather [5,3] with repeated int32 indices [2,4]',
    inputs: { d: f(5, 3), i: { shape: [2, 4], dtype: 'int32', gen: fixed([0, 2, 2, 4, 1, 2, 0, 0]) } },
    build: ({ d, i }) => op.gather(d, i),
  },
  {
    op: 'Gather',
    name: 'gather [4] with repeated int64 indices [5]',
    inputs: { d: f(4), i: { shape: [5], dtype: 'int64', gen: fixed([3, 3, 0, 3, 1]) } },
    build: ({ d, i }) => op.gather(d, i),
  },
  { op: 'Softmax', name: 'softmax axis -1', inputs: { x: f(2, 3, 4) }, build: ({ x }) => op.softmax(x, -1) },
  { op: 'Softmax', name: 'softmax axis 1', inputs: { x: f(2, 3, 4) }, build: ({ x }) => op.softmax(x, 1) },
  { op: 'Softmax', name: 'softmax axis 0', inputs: { x: f(2, 3, 4) }, build: ({ x }) => op.softmax(x, 0) },
  {
    op: 'LogSoftmax',
    name: 'logSoftmax axis -1',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.logSoftmax(x),
  },
  {
    op: 'LogSoftmax',
    name: 'logSoftmax axis 0',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.logSoftmax(x, 0),
  },
  {
    op: 'ReduceLogSumExp',
    name: 'logSoftmaxGpu axis 1',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.logSoftmaxGpu(x, 1),
  },
  {
    op: 'ReduceLogSumExp',
    name: 'ReduceLogSumExp axes [0,2] dropped',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.reduce('ReduceLogSumExp', x, [0, 2]),
  },
  {
    op: 'LayerNormalization',
    name: 'layerNorm x [2,3,5], scale, bias',
    inputs: { x: f(2, 3, 5), s: f(5), b: f(5) },
    build: ({ x, s, b }) => op.layerNorm(x, s, b),
  },
  { op: 'ReduceSum', name: 'sum axis 1', inputs: { x: f(2, 3, 4) }, build: ({ x }) => op.sum(x, [1]) },
  {
    op: 'ReduceSum',
    name: 'sum axes [0,-1] keepdims',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.sum(x, [0, -1], true),
  },
  { op: 'ReduceSum', name: 'sum all axes', inputs: { x: f(2, 3) }, build: ({ x }) => op.sum(x) },
  { op: 'ReduceMean', name: 'mean axis 2', inputs: { x: f(2, 3, 4) }, build: ({ x }) => op.mean(x, [2]) },
  {
    op: 'ReduceMean',
    name: 'mean axes [0,1] keepdims',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.mean(x, [0, 1], true),
  },
  { op: 'ReduceMean', name: 'mean all axes', inputs: { x: f(2, 3) }, build: ({ x }) => op.mean(x) },
  {
    op: 'ReduceMax',
    name: 'max axis 1 (no ties)',
    inputs: { x: { shape: [2, 3, 4], gen: distinct(24) } },
    build: ({ x }) => op.reduceMax(x, [1]),
  },
  {
    op: 'ReduceMax',
    name: 'max axes [0,2] keepdims (no ties)',
    inputs: { x: { shape: [2, 3, 4], gen: distinct(24) } },
    build: ({ x }) => op.reduceMax(x, [0, 2], true),
  },
  {
    op: 'ReduceMax',
    name: 'max all axes',
    inputs: { x: { shape: [3, 4], gen: distinct(12) } },
    build: ({ x }) => op.reduceMax(x),
  },
  {
    op: 'Reshape',
    name: 'reshape [2,3,4] -> [4,-1]',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.reshape(x, [4, -1]),
  },
  {
    op: 'Transpose',
    name: 'transpose [2,3,4] perm [2,0,1]',
    inputs: { x: f(2, 3, 4) },
    build: ({ x }) => op.transpose(x, [2, 0, 1]),
  },
  {
    op: 'Slice',
    name: 'slice 3 axes incl. negative bounds',
    inputs: { x: f(4, 5, 3) },
    build: ({ x }) => op.slice(x, [1, -3, 0], [3, 5, 2], [0, 1, -1]),
  },
  {
    op: 'Concat',
    name: 'concat 3 inputs on axis 1',
    inputs: { a: f(2, 1, 3), b: f(2, 2, 3), c: f(2, 3, 3) },
    build: ({ a, b, c }) => op.concat([a, b, c], 1),
  },
  {
    op: 'Concat',
    name: 'concat x with itself on axis -1',
    inputs: { x: f(2, 3) },
    build: ({ x }) => op.concat([x, x], -1),
  },
  {
    op: 'Unsqueeze',
    name: 'unsqueeze [2,3] axes [0,2]',
    inputs: { x: f(2, 3) },
    build: ({ x }) => op.unsqueeze(x, [0, 2]),
  },
  {
    op: 'Squeeze',
    name: 'squeeze [2,1,3,1] axes [1,3]',
    inputs: { x: f(2, 1, 3, 1) },
    build: ({ x }) => op.squeeze(x, [1, 3]),
  },
  {
    op: 'Expand',
    name: 'expand [3,1] -> [2,3,4]',
    inputs: { x: f(3, 1) },
    build: ({ x }) => op.expand(x, [2, 3, 4]),
  },
];
