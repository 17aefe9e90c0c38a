// Reverse-mode autodiff over the graph: one backward rule per op in one table, gradients of a
// scalar loss w.r.t. chosen values, pruned to the nodes that lie between them and the loss.
import { isFloat } from './dtype.js';
import { describe, fmtShape, type Graph, GraphError, type Node, type Shape, type Value } from './graph.js';
import * as op from './ops.js';

export interface GradContext {
  readonly node: Node;
  /** The node's inputs (null for omitted optional inputs). */
  readonly x: readonly (Value | null)[];
  /** The node's outputs. */
  readonly y: readonly Value[];
  /** Gradient of the loss w.r.t. each output (null where no gradient flows). */
  readonly gy: readonly (Value | null)[];
  /** Whether input i needs a gradient (rules skip work for the others). */
  needs(i: number): boolean;
}

/** Returns one gradient (or null) per input of the node. */
export type GradRule = (c: GradContext) => (Value | null)[];

const x0 = (c: GradContext) => c.x[0] as Value;
const x1 = (c: GradContext) => c.x[1] as Value;
const y0 = (c: GradContext) => c.y[0] as Value;
const gy0 = (c: GradContext) => c.gy[0] as Value;
const when = <T>(cond: boolean, f: () => T): T | null => (cond ? f() : null);
/** A numeric attribute of the node (the builder always sets the ones rules read). */
const num = (c: GradContext, name: string, fallback?: number): number => {
  const a = c.node.attrs[name];
  if (a && (a.kind === 'int' || a.kind === 'float')) return a.value;
  if (fallback !== undefined) return fallback;
  throw new GraphError(`${c.node.op} node ${c.node.name} lacks numeric attribute '${name}'`);
};

/** Sums a broadcast gradient back down to `shape` (the inverse of numpy broadcasting). */
export function sumToShape(g: Value, shape: Shape): Value {
  const lead = g.shape.length - shape.length;
  const axes = g.shape.flatMap((d, i) => (i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : []));
  const reduced = axes.length ? op.sum(g, axes, true) : g;
  return op.reshape(reduced, shape);
}

/** The reduced shape with reduced axes kept as size 1. */
const keptShape = (x: Value, axes: readonly number[]) => x.shape.map((d, i) => (axes.includes(i) ? 1 : d));

/** max/min: the gradient goes to whichever operand won (ties to the first). */
const pick =
  (firstWins: (a: Value, b: Value) => Value): GradRule =>
  (c) => {
    const win = firstWins(x0(c), x1(c));
    return [
      when(c.needs(0), () => sumToShape(op.where(win, gy0(c), 0), x0(c).shape)),
      when(c.needs(1), () => sumToShape(op.where(win, 0, gy0(c)), x1(c).shape)),
    ];
  };

const reduceBack = (c: GradContext): Value => op.reshape(gy0(c), keptShape(x0(c), c.node.params.axes ?? []));

/**
 * d/dx of the tanh-approximate GELU x·σ(z), z = 2·√(2/π)·(x + 0.044715·x³) (the same function as
 * 0.5·x·(1 + tanh(z/2))): σ(z) + x·σ(z)·(1 − σ(z))·z′, recomputed from x (no tensor saved).
 */
function geluTanhSlope(x: Value): Value {
  const a = 2 * Math.sqrt(2 / Math.PI);
  const x2 = op.mul(x, x);
  const s = op.sigmoid(op.mul(x, op.add(op.mul(x2, a * 0.044715), a))); // σ(z)
  const dz = op.add(op.mul(x2, 3 * a * 0.044715), a); // z′
  return op.add(s, op.mul(op.mul(x, dz), op.mul(s, op.sub(1, s))));
}

export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  Identity: (c) => [gy0(c)],
  Add: (c) => [
    when(c.needs(0), () => sumToShape(gy0(c), x0(c).shape)),
    when(c.needs(1), () => sumToShape(gy0(c), x1(c).shape)),
  ],
  Sub: (c) => [
    when(c.needs(0), () => sumToShape(gy0(c), x0(c).shape)),
    when(c.needs(1), () => sumToShape(op.neg(gy0(c)), x1(c).shape)),
  ],
  Mul: (c) => [
    when(c.needs(0), () => sumToShape(op.mul(gy0(c), x1(c)), x0(c).shape)),
    when(c.needs(1), () => sumToShape(op.mul(gy0(c), x0(c)), x1(c).shape)),
  ],
  Div: (c) => [
    when(c.needs(0), () => sumToShape(op.div(gy0(c), x1(c)), x0(c).shape)),
    when(c.needs(1), () => sumToShape(op.neg(op.div(op.mul(gy0(c), y0(c)), x1(c))), x1(c).shape)),
  ],
  Pow: (c) => [
    when(c.needs(0), () =>
      sumToShape(op.mul(op.mul(gy0(c), x1(c)), op.pow(x0(c), op.sub(x1(c), 1))), x0(c).shape),
    ),
    when(c.needs(1), () => sumToShape(op.mul(op.mul(gy0(c), y0(c)), op.log(x0(c))), x1(c).shape)),
  ],
  Max: pick((a, b) => op.not(op.less(a, b))),
  Min: pick((a, b) => op.not(op.greater(a, b))),
  Neg: (c) => [op.neg(gy0(c))],
  Exp: (c) => [op.mul(gy0(c), y0(c))],
  Log: (c) => [op.div(gy0(c), x0(c))],
  Sqrt: (c) => [op.div(op.mul(gy0(c), 0.5), y0(c))],
  Tanh: (c) => [op.mul(gy0(c), op.sub(1, op.mul(y0(c), y0(c))))],
  Sigmoid: (c) => [op.mul(gy0(c), op.mul(y0(c), op.sub(1, y0(c))))],
  Erf: (c) => [op.mul(op.mul(gy0(c), 2 / Math.sqrt(Math.PI)), op.exp(op.neg(op.mul(x0(c), x0(c)))))],
  Relu: (c) => [op.where(op.greater(x0(c), 0), gy0(c), 0)],
  Gelu: (c) => [op.mul(gy0(c), geluTanhSlope(x0(c)))],
  Abs: (c) => [op.where(op.less(x0(c), 0), op.neg(gy0(c)), gy0(c))],
  Reciprocal: (c) => [op.neg(op.mul(gy0(c), op.mul(y0(c), y0(c))))],
  Cast: (c) => [isFloat(x0(c).dtype) ? op.cast(gy0(c), x0(c).dtype) : null],
  Where: (c) => {
    const cond = c.x[0] as Value;
    const [a, b] = [c.x[1] as Value, c.x[2] as Value];
    return [
      null,
      when(c.needs(1), () => sumToShape(op.where(cond, gy0(c), 0), a.shape)),
      when(c.needs(2), () => sumToShape(op.where(cond, 0, gy0(c)), b.shape)),
    ];
  },
  Clip: (c) => {
    const [x, lo, hi] = c.x as [Value, Value | null, Value | null];
    let inside: Value | null = null;
    if (lo) inside = op.not(op.less(x, lo));
    if (hi) inside = inside ? op.and(inside, op.not(op.greater(x, hi))) : op.not(op.greater(x, hi));
    return [inside ? op.where(inside, gy0(c), 0) : gy0(c), null, null];
  },
  MatMul: (c) => [
    when(c.needs(0), () => sumToShape(op.matmul(gy0(c), op.transposeLast(x1(c))), x0(c).shape)),
    when(c.needs(1), () => sumToShape(op.matmul(op.transposeLast(x0(c)), gy0(c)), x1(c).shape)),
  ],
  Gather: (c) => {
    const [data, idx] = [x0(c), x1(c)];
    const axis = num(c, 'axis', 0);
    if (axis !== 0) throw new GraphError(`no backward rule for Gather with axis=${axis} (${describe(data)})`);
    const [v, ...rest] = data.shape as [number, ...number[]];
    const n = idx.shape.reduce((p, q) => p * q, 1);
    const r = rest.reduce((p, q) => p * q, 1);
    // One-hot rows via int Equal + Cast (GPU-friendly), then a [V, N] @ [N, R] MatMul.
    const arange = data.graph.constant(idx.dtype, [v], [...Array(v).keys()], 'arange');
    const onehot = op.cast(op.equal(op.unsqueeze(idx, [-1]), arange), data.dtype); // [...I, V]
    const gData = op.matmul(op.transposeLast(op.reshape(onehot, [n, v])), op.reshape(gy0(c), [n, r])); // [V, R]
    return [op.reshape(gData, data.shape), null];
  },
  Softmax: (c) => {
    const axis = num(c, 'axis');
    const gyy = op.mul(gy0(c), y0(c));
    return [op.sub(gyy, op.mul(y0(c), op.sum(gyy, [axis], true)))];
  },
  LogSoftmax: (c) => {
    const axis = num(c, 'axis');
    return [op.sub(gy0(c), op.mul(op.exp(y0(c)), op.sum(gy0(c), [axis], true)))];
  },
  ReduceSum: (c) => [op.expand(reduceBack(c), x0(c).shape), null],
  ReduceMean: (c) => {
    const count = x0(c).shape.length
      ? x0(c).shape.reduce((p, q) => p * q, 1) / y0(c).shape.reduce((p, q) => p * q, 1)
      : 1;
    return [op.expand(op.mul(reduceBack(c), 1 / count), x0(c).shape), null];
  },
  ReduceMax: (c) => {
    const axes = c.node.params.axes ?? [];
    const kept = keptShape(x0(c), axes);
    const hit = op.cast(op.equal(x0(c), op.reshape(y0(c), kept)), x0(c).dtype);
    return [op.div(op.mul(hit, reduceBack(c)), op.sum(hit, axes, true)), null];
  },
  ReduceLogSumExp: (c) => {
    const kept = keptShape(x0(c), c.node.params.axes ?? []);
    return [op.mul(reduceBack(c), op.exp(op.sub(x0(c), op.reshape(y0(c), kept)))), null];
  },
  LayerNormalization: (c) => {
    const [x, scale] = [x0(c), x1(c)];
    const eps = num(c, 'epsilon', 1e-5);
    const gy = gy0(c);
    const xc = op.sub(x, op.mean(x, [-1], true));
    const rstd = op.reciprocal(op.sqrt(op.add(op.mean(op.mul(xc, xc), [-1], true), eps)));
    const xhat = op.mul(xc, rstd);
    const gxhat = op.mul(gy, scale);
    const gx = when(c.needs(0), () => {
      const proj = op.mul(xhat, op.mean(op.mul(gxhat, xhat), [-1], true));
      return op.mul(rstd, op.sub(op.sub(gxhat, op.mean(gxhat, [-1], true)), proj));
    });
    const c1 = scale.shape;
    return [
      gx,
      when(c.needs(1), () => sumToShape(op.mul(gy, xhat), c1)),
      when(c.needs(2), () => sumToShape(gy, c1)),
    ];
  },
  Reshape: (c) => [op.reshape(gy0(c), x0(c).shape), null],
  Unsqueeze: (c) => [op.reshape(gy0(c), x0(c).shape), null],
  Squeeze: (c) => [op.reshape(gy0(c), x0(c).shape), null],
  Expand: (c) => [sumToShape(gy0(c), x0(c).shape), null],
  Transpose: (c) => {
    const perm = c.node.attrs.perm?.value as readonly number[];
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [op.transpose(gy0(c), inv)];
  },
  Slice: (c) => {
    // Pad the gradient back with zeros on each sliced axis (Concat of zero blocks: GPU-friendly).
    const x = x0(c);
    const { starts = [], ends = [], axes = [] } = c.node.params;
    let g = gy0(c);
    axes.forEach((a, i) => {
      const before = starts[i] as number;
      const after = (x.shape[a] as number) - (ends[i] as number);
      const zeros = (n: number) =>
        op.full(
          x.graph,
          g.shape.map((d, k) => (k === a ? n : d)),
          0,
          x.dtype,
        );
      const parts = [...(before ? [zeros(before)] : []), g, ...(after ? [zeros(after)] : [])];
      if (parts.length > 1) g = op.concat(parts, a);
    });
    return [g, null, null, null];
  },
  Concat: (c) => {
    const axis = num(c, 'axis');
    let at = 0;
    return c.x.map((xi, i) => {
      const v = xi as Value;
      const start = at;
      at += v.shape[axis] as number;
      return when(c.needs(i), () => op.slice(gy0(c), [start], [at], [axis]));
    });
  },
};

/**
 * Appends the backward pass for a scalar `loss` and returns d loss / d w for each w in `wrt`
 * (zeros where the loss does not depend on w). Only nodes between `wrt` and `loss` get rules.
 */
export function gradients(loss: Value, wrt: readonly Value[]): Value[] {
  const g: Graph = loss.graph;
  if (loss.shape.length !== 0 || !isFloat(loss.dtype)) {
    throw new GraphError(`gradients: loss must be a float scalar, got ${describe(loss)}`);
  }
  for (const w of wrt)
    if (!isFloat(w.dtype)) throw new GraphError(`gradients: cannot differentiate w.r.t. ${describe(w)}`);
  // Forward: values that depend on wrt through float edges.
  const dep = new Set<Value>(wrt);
  for (const n of g.nodes) {
    if (n.inputs.some((v) => v && dep.has(v))) for (const o of n.outputs) if (isFloat(o.dtype)) dep.add(o);
  }
  // Backward: values that reach the loss.
  const live = new Set<Value>([loss]);
  const onPath: Node[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i] as Node;
    if (!n.outputs.some((o) => live.has(o) && dep.has(o))) continue;
    onPath.push(n);
    for (const v of n.inputs) if (v && dep.has(v)) live.add(v);
  }
  const grads = new Map<Value, Value>([[loss, g.scalar(1, loss.dtype)]]);
  g.scope('grad', () => {
    for (const n of onPath) {
      const gy = n.outputs.map((o) => grads.get(o) ?? null);
      if (gy.every((v) => v === null)) continue;
      const rule = GRAD_RULES[n.op];
      if (!rule) {
        throw new GraphError(
          `no backward rule for op ${n.op} (node ${n.name}: ${n.inputs.map(describe).join(', ')})`,
        );
      }
      const needs = (i: number) => {
        const v = n.inputs[i];
        return !!v && dep.has(v) && live.has(v);
      };
      const gx = rule({ node: n, x: n.inputs, y: n.outputs, gy, needs });
      n.inputs.forEach((v, i) => {
        const gi = gx[i];
        if (!v || !gi || !needs(i)) return;
        if (gi.shape.length !== v.shape.length || gi.shape.some((d, k) => d !== v.shape[k])) {
          throw new GraphError(
            `backward rule for ${n.op} gave ${fmtShape(gi.shape)} for input ${describe(v)}`,
          );
        }
        const prev = grads.get(v);
        grads.set(v, prev ? op.add(prev, gi) : gi);
      });
    }
  });
  return wrt.map((w) => grads.get(w) ?? op.full(g, w.shape, 0, w.dtype));
}
