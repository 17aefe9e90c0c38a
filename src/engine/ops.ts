// Op helpers: one typed function per ONNX op the engine uses, each inferring its output dtype
// and shape at build time so a mismatch fails here, naming the op and shapes, not inside ORT.
import { type DType, isFloat, ONNX_DTYPE } from './dtype.js';
import {
  type Attrs,
  attr,
  describe,
  fmtShape,
  type Graph,
  GraphError,
  type Shape,
  type Value,
} from './graph.js';

type Operand = Value | number;
type OutType = { dtype: DType; shape: Shape };

function fail(op: string, inputs: readonly (Value | null)[], why: string): never {
  throw new GraphError(`${op}(${inputs.map(describe).join(', ')}): ${why}`);
}

const graphOf = (...xs: Operand[]): Graph => {
  const v = xs.find((x): x is Value => typeof x !== 'number');
  if (!v) throw new GraphError('an op needs at least one Value operand');
  return v.graph;
};

/** Turns plain numbers into scalar constants of the other operand's dtype. */
function lift(a: Operand, b: Operand): [Value, Value] {
  const g = graphOf(a, b);
  const dt = typeof a === 'number' ? (b as Value).dtype : a.dtype;
  return [typeof a === 'number' ? g.scalar(a, dt) : a, typeof b === 'number' ? g.scalar(b, dt) : b];
}

const normAxis = (axis: number, rank: number, op: string, x: Value): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(op, [x], `axis ${axis} out of range for rank ${rank}`);
  return a;
};

/** Numpy-style broadcast of shapes, or null when they are incompatible. */
export function broadcastShapes(...shapes: Shape[]): number[] | null {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s[s.length - rank + i] ?? 1;
      if (k === 1) continue;
      if (d !== 1 && d !== k) return null;
      d = k;
    }
    out.push(d);
  }
  return out;
}

function node(op: string, inputs: (Value | null)[], out: OutType[], attrs: Attrs = {}, params = {}): Value[] {
  const g = graphOf(...inputs.filter((v): v is Value => v !== null));
  return g.addNode(op, inputs, out, attrs, params);
}
const node1 = (op: string, inputs: (Value | null)[], out: OutType, attrs: Attrs = {}, params = {}): Value =>
  node(op, inputs, [out], attrs, params)[0] as Value;

const i64 = (g: Graph, values: readonly number[]): Value =>
  g.constant('int64', [values.length], values, 'i64');

// ---- elementwise ------------------------------------------------------------------------------

function binary(op: string, a: Operand, b: Operand, outDtype?: DType): Value {
  const [x, y] = lift(a, b);
  if (x.dtype !== y.dtype) fail(op, [x, y], `dtype mismatch ${x.dtype} vs ${y.dtype}`);
  const shape = broadcastShapes(x.shape, y.shape);
  if (!shape) fail(op, [x, y], `shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} do not broadcast`);
  return node1(op, [x, y], { dtype: outDtype ?? x.dtype, shape });
}

export const add = (a: Operand, b: Operand) => binary('Add', a, b);
export const sub = (a: Operand, b: Operand) => binary('Sub', a, b);
export const mul = (a: Operand, b: Operand) => binary('Mul', a, b);
export const div = (a: Operand, b: Operand) => binary('Div', a, b);
export const pow = (a: Operand, b: Operand) => binary('Pow', a, b);
export const min = (a: Operand, b: Operand) => binary('Min', a, b);
export const max = (a: Operand, b: Operand) => binary('Max', a, b);
export const equal = (a: Operand, b: Operand) => binary('Equal', a, b, 'bool');
export const less = (a: Operand, b: Operand) => binary('Less', a, b, 'bool');
export const greater = (a: Operand, b: Operand) => binary('Greater', a, b, 'bool');
export const and = (a: Value, b: Value) => binary('And', a, b, 'bool');

function unary(op: string, x: Value, needFloat = true): Value {
  if (needFloat && !isFloat(x.dtype)) fail(op, [x], `needs a float input, got ${x.dtype}`);
  return node1(op, [x], { dtype: x.dtype, shape: x.shape });
}
export const exp = (x: Value) => unary('Exp', x);
export const log = (x: Value) => unary('Log', x);
export const sqrt = (x: Value) => unary('Sqrt', x);
export const tanh = (x: Value) => unary('Tanh', x);
export const sigmoid = (x: Value) => unary('Sigmoid', x);
export const erf = (x: Value) => unary('Erf', x);
export const relu = (x: Value) => unary('Relu', x);
/** GELU as one fused node (opset 20): tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export const gelu = (x: Value) => {
  if (!isFloat(x.dtype)) fail('Gelu', [x], `needs a float input, got ${x.dtype}`);
  return node1('Gelu', [x], { dtype: x.dtype, shape: x.shape }, { approximate: attr.string('tanh') });
};
export const reciprocal = (x: Value) => unary('Reciprocal', x);
export const neg = (x: Value) => unary('Neg', x, false);
export const abs = (x: Value) => unary('Abs', x, false);
export const identity = (x: Value) => unary('Identity', x, false);
export const not = (x: Value) => {
  if (x.dtype !== 'bool') fail('Not', [x], 'needs a bool input');
  return unary('Not', x, false);
};

export function cast(x: Value, to: DType): Value {
  if (x.dtype === to) return x;
  return node1('Cast', [x], { dtype: to, shape: x.shape }, { to: attr.int(ONNX_DTYPE[to]) });
}

/** where(cond, a, b): a where cond is true, else b (all three broadcast). */
export function where(cond: Value, a: Operand, b: Operand): Value {
  const [x, y] = lift(a, b);
  if (cond.dtype !== 'bool') fail('Where', [cond, x, y], 'condition must be bool');
  if (x.dtype !== y.dtype) fail('Where', [cond, x, y], `dtype mismatch ${x.dtype} vs ${y.dtype}`);
  const shape = broadcastShapes(cond.shape, x.shape, y.shape);
  if (!shape) fail('Where', [cond, x, y], 'shapes do not broadcast');
  return node1('Where', [cond, x, y], { dtype: x.dtype, shape });
}

/** clip(x, lo, hi) with scalar bounds (either may be omitted). */
export function clip(x: Value, lo?: number, hi?: number): Value {
  const g = x.graph;
  const loV = lo === undefined ? null : g.scalar(lo, x.dtype);
  const hiV = hi === undefined ? null : g.scalar(hi, x.dtype);
  return node1('Clip', [x, loV, hiV], { dtype: x.dtype, shape: x.shape });
}

// ---- linear algebra and indexing --------------------------------------------------------------

/** Batched matmul: [..., M, K] @ [..., K, N] -> [..., M, N] with broadcast batch dims. */
export function matmul(a: Value, b: Value): Value {
  if (a.shape.length < 2 || b.shape.length < 2) fail('MatMul', [a, b], 'both operands need rank >= 2');
  if (a.dtype !== b.dtype) fail('MatMul', [a, b], `dtype mismatch ${a.dtype} vs ${b.dtype}`);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  if (k !== k2) fail('MatMul', [a, b], `inner dimensions differ (${k} vs ${k2})`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (!batch) fail('MatMul', [a, b], 'batch dimensions do not broadcast');
  return node1('MatMul', [a, b], { dtype: a.dtype, shape: [...batch, m, n] });
}

/** gather(data, indices) along axis 0: [V, ...rest] with int indices [...I] -> [...I, ...rest]. */
export function gather(data: Value, indices: Value, axis = 0): Value {
  if (indices.dtype !== 'int32' && indices.dtype !== 'int64')
    fail('Gather', [data, indices], 'indices must be int');
  const a = normAxis(axis, data.shape.length, 'Gather', data);
  const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
  return node1('Gather', [data, indices], { dtype: data.dtype, shape }, { axis: attr.int(a) });
}

// ---- normalisation and reductions -------------------------------------------------------------

export function softmax(x: Value, axis = -1): Value {
  const a = normAxis(axis, x.shape.length, 'Softmax', x);
  return node1('Softmax', [x], { dtype: x.dtype, shape: x.shape }, { axis: attr.int(a) });
}

/** Native LogSoftmax (runs on CPU in ORT's WebGPU EP; prefer logSoftmaxGpu in hot graphs). */
export function logSoftmax(x: Value, axis = -1): Value {
  const a = normAxis(axis, x.shape.length, 'LogSoftmax', x);
  return node1('LogSoftmax', [x], { dtype: x.dtype, shape: x.shape }, { axis: attr.int(a) });
}

/** log-softmax as x - logsumexp(x): every op runs on the GPU. */
export const logSoftmaxGpu = (x: Value, axis = -1): Value =>
  sub(x, reduce('ReduceLogSumExp', x, [axis], true));

/** LayerNormalization over the last axis with scale and bias of shape [C]. */
export function layerNorm(x: Value, scale: Value, bias: Value, epsilon = 1e-5): Value {
  const c = x.shape[x.shape.length - 1];
  if (scale.shape.length !== 1 || scale.shape[0] !== c || bias.shape.length !== 1 || bias.shape[0] !== c) {
    fail('LayerNormalization', [x, scale, bias], `scale and bias must have shape [${c}]`);
  }
  const attrs = { axis: attr.int(-1), epsilon: attr.float(epsilon) };
  return node1('LayerNormalization', [x, scale, bias], { dtype: x.dtype, shape: x.shape }, attrs);
}

export type ReduceOp = 'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'ReduceLogSumExp';

/** Reduction over `axes` (all axes when empty) keeping or dropping the reduced dims. */
export function reduce(op: ReduceOp, x: Value, axes: readonly number[] = [], keepdims = false): Value {
  const r = x.shape.length;
  const ax = (axes.length ? axes : x.shape.map((_, i) => i))
    .map((a) => normAxis(a, r, op, x))
    .sort((p, q) => p - q);
  if (new Set(ax).size !== ax.length) fail(op, [x], `repeated axes [${axes.join(', ')}]`);
  const shape = x.shape.flatMap((d, i) => (ax.includes(i) ? (keepdims ? [1] : []) : [d]));
  const axesV = i64(x.graph, ax);
  return node1(
    op,
    [x, axesV],
    { dtype: x.dtype, shape },
    { keepdims: attr.int(keepdims ? 1 : 0) },
    { axes: ax },
  );
}
export const sum = (x: Value, axes: readonly number[] = [], keepdims = false) =>
  reduce('ReduceSum', x, axes, keepdims);
export const mean = (x: Value, axes: readonly number[] = [], keepdims = false) =>
  reduce('ReduceMean', x, axes, keepdims);
export const reduceMax = (x: Value, axes: readonly number[] = [], keepdims = false) =>
  reduce('ReduceMax', x, axes, keepdims);

// ---- shape ops (static arguments) -------------------------------------------------------------

/** Reshape to `shape` (one -1 allowed, 0 not: shapes are static). */
export function reshape(x: Value, shape: readonly number[]): Value {
  const total = x.shape.reduce((p, q) => p * q, 1);
  const known = shape.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
  const holes = shape.filter((d) => d === -1).length;
  const out = shape.map((d) => (d === -1 ? total / known : d));
  if (holes > 1 || shape.some((d) => d < -1 || d === 0) || !out.every(Number.isInteger)) {
    fail('Reshape', [x], `cannot reshape to ${fmtShape(shape)}`);
  }
  if (out.reduce((p, q) => p * q, 1) !== total) fail('Reshape', [x], `cannot reshape to ${fmtShape(shape)}`);
  if (out.length === x.shape.length && out.every((d, i) => d === x.shape[i])) return x;
  return node1('Reshape', [x, i64(x.graph, out)], { dtype: x.dtype, shape: out }, {}, { shape: out });
}

export function transpose(x: Value, perm: readonly number[]): Value {
  const r = x.shape.length;
  if (perm.length !== r || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
    fail('Transpose', [x], `perm [${perm.join(', ')}] is not a permutation of rank ${r}`);
  }
  const shape = perm.map((p) => x.shape[p] as number);
  return node1('Transpose', [x], { dtype: x.dtype, shape }, { perm: attr.ints(perm) });
}

/** Swaps the last two axes. */
export function transposeLast(x: Value): Value {
  const r = x.shape.length;
  return transpose(
    x,
    [...x.shape.keys()].map((i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i)),
  );
}

/** Slice [start, end) with step 1 along each listed axis (negative indices count from the end). */
export function slice(
  x: Value,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
): Value {
  if (starts.length !== axes.length || ends.length !== axes.length)
    fail('Slice', [x], 'starts/ends/axes lengths differ');
  const shape = [...x.shape];
  const st: number[] = [];
  const en: number[] = [];
  const ax = axes.map((a) => normAxis(a, x.shape.length, 'Slice', x));
  if (new Set(ax).size !== ax.length) fail('Slice', [x], `repeated axes [${axes.join(', ')}]`);
  ax.forEach((a, i) => {
    const d = x.shape[a] as number;
    const clampIdx = (v: number) => Math.min(d, Math.max(0, v < 0 ? v + d : v));
    const s = clampIdx(starts[i] as number);
    const e = clampIdx(ends[i] as number);
    if (e < s) fail('Slice', [x], `empty or reversed range ${starts[i]}:${ends[i]} on axis ${a}`);
    st.push(s);
    en.push(e);
    shape[a] = e - s;
  });
  const g = x.graph;
  const params = { starts: st, ends: en, axes: ax };
  return node1('Slice', [x, i64(g, st), i64(g, en), i64(g, ax)], { dtype: x.dtype, shape }, {}, params);
}

export function concat(xs: readonly Value[], axis: number): Value {
  const first = xs[0];
  if (!first) throw new GraphError('Concat: needs at least one input');
  const a = normAxis(axis, first.shape.length, 'Concat', first);
  const shape = [...first.shape];
  shape[a] = 0;
  for (const x of xs) {
    const same = x.dtype === first.dtype && x.shape.length === first.shape.length;
    if (!same || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      fail('Concat', [...xs], `inputs must agree on dtype and on every axis but ${a}`);
    }
    shape[a] = (shape[a] as number) + (x.shape[a] as number);
  }
  return node1('Concat', [...xs], { dtype: first.dtype, shape }, { axis: attr.int(a) });
}

export function unsqueeze(x: Value, axes: readonly number[]): Value {
  const r = x.shape.length + axes.length;
  const ax = axes.map((a) => (a < 0 ? a + r : a)).sort((p, q) => p - q);
  if (ax.some((a) => a < 0 || a >= r) || new Set(ax).size !== ax.length)
    fail('Unsqueeze', [x], `bad axes [${axes}]`);
  const rest = [...x.shape];
  const shape = [...Array(r).keys()].map((i) => (ax.includes(i) ? 1 : (rest.shift() as number)));
  return node1('Unsqueeze', [x, i64(x.graph, ax)], { dtype: x.dtype, shape }, {}, { axes: ax });
}

export function squeeze(x: Value, axes: readonly number[]): Value {
  const ax = axes.map((a) => normAxis(a, x.shape.length, 'Squeeze', x));
  if (ax.some((a) => x.shape[a] !== 1)) fail('Squeeze', [x], `axes [${axes}] are not all of size 1`);
  if (!ax.length) return x; // ONNX Squeeze with no axes would drop every size-1 axis
  const shape = x.shape.filter((_, i) => !ax.includes(i));
  return node1('Squeeze', [x, i64(x.graph, ax)], { dtype: x.dtype, shape }, {}, { axes: ax });
}

/** Broadcasts x to `shape`. */
export function expand(x: Value, shape: readonly number[]): Value {
  const out = broadcastShapes(x.shape, shape);
  if (!out || out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    fail('Expand', [x], `cannot broadcast to ${fmtShape(shape)}`);
  }
  if (out.length === x.shape.length && out.every((d, i) => d === x.shape[i])) return x;
  return node1(
    'Expand',
    [x, i64(x.graph, shape)],
    { dtype: x.dtype, shape: [...shape] },
    {},
    { shape: [...shape] },
  );
}

/** A tensor of `shape` filled with `value` (a scalar constant expanded: no large initializer). */
export const full = (g: Graph, shape: readonly number[], value: number, dtype: DType = 'float32'): Value =>
  expand(g.scalar(value, dtype), shape);
