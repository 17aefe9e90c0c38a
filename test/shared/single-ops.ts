// One small graph per op the engine uses (x: float [R, C], i: int32 [N]): for the WebGPU
// placement census and the per-op benchmark.
import { type HostTensor, hostTensor } from '../../src/engine/dtype.js';
import { Graph, type Value } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops.js';
import { Rng } from '../../src/util/rng.js';

type Build = (x: Value, i: Value) => Value;
const cols = (x: Value) => x.shape[1] as number;

export const SINGLE_OPS: Readonly<Record<string, Build>> = {
  Add: (x) => op.add(x, x),
  Sub: (x) => op.sub(x, x),
  Mul: (x) => op.mul(x, x),
  Div: (x) => op.div(x, op.add(x, 3)),
  Pow: (x) => op.pow(op.add(x, 3), x),
  Min: (x) => op.min(x, op.neg(x)),
  Max: (x) => op.max(x, op.neg(x)),
  Neg: (x) => op.neg(x),
  Exp: (x) => op.exp(x),
  Log: (x) => op.log(op.add(x, 3)),
  Sqrt: (x) => op.sqrt(op.add(x, 3)),
  Tanh: (x) => op.tanh(x),
  Sigmoid: (x) => op.sigmoid(x),
  Erf: (x) => op.erf(x),
  Relu: (x) => op.relu(x),
  Abs: (x) => op.abs(x),
  Reciprocal: (x) => op.reciprocal(op.add(x, 3)),
  'Cast(int32)': (x) => op.cast(op.cast(x, 'int32'), 'float32'),
  Where: (x) => op.where(op.greater(x, 0), x, 0),
  'Equal/Less/Not/And': (x) => op.cast(op.and(op.not(op.less(x, 0)), op.equal(x, x)), 'float32'),
  Clip: (x) => op.clip(x, -0.5, 0.5),
  MatMul: (x) => op.matmul(op.unsqueeze(x, [0]), op.transposeLast(op.unsqueeze(x, [0]))),
  Gather: (x, i) => op.gather(op.transposeLast(x), op.clip(i, 0, cols(x) - 1)),
  Softmax: (x) => op.softmax(x, -1),
  LogSoftmax: (x) => op.logSoftmax(x, -1),
  ReduceLogSumExp: (x) => op.reduce('ReduceLogSumExp', x, [1], true),
  LayerNormalization: (x) => {
    const c = cols(x);
    const g = x.graph;
    return op.layerNorm(
      x,
      g.constant('float32', [c], Array(c).fill(1.5)),
      g.constant('float32', [c], Array(c).fill(0.1)),
    );
  },
  ReduceSum: (x) => op.sum(x, [0]),
  ReduceMean: (x) => op.mean(x, [1], true),
  ReduceMax: (x) => op.reduceMax(x, [1]),
  Reshape: (x) => op.exp(op.reshape(x, [cols(x), -1])),
  Transpose: (x) => op.transpose(x, [1, 0]),
  Slice: (x) => op.slice(x, [1], [cols(x)], [1]),
  Concat: (x) => op.concat([x, op.exp(x)], 0),
  'Unsqueeze/Squeeze': (x) => op.exp(op.squeeze(op.unsqueeze(op.exp(x), [1]), [1])),
  Expand: (x) => op.expand(op.exp(x), [4, ...x.shape]),
};

/** The graph for one entry of SINGLE_OPS with x: [rows, cols] and i: [n], and random feeds. */
export function singleOpCase(
  name: string,
  rows = 2,
  columns = 3,
  n = 4,
): { graph: Graph; feeds: Record<string, HostTensor> } {
  const build = SINGLE_OPS[name];
  if (!build) throw new Error(`unknown op case '${name}' (have: ${Object.keys(SINGLE_OPS).join(', ')})`);
  const g = new Graph(name);
  const x = g.input('x', 'float32', [rows, columns]);
  const i = g.input('i', 'int32', [n]);
  g.output(op.identity(build(x, i)), 'y');
  const rng = new Rng(5);
  const feeds = {
    x: hostTensor(
      'float32',
      [rows, columns],
      Array.from({ length: rows * columns }, () => rng.normal()),
    ),
    i: hostTensor(
      'int32',
      [n],
      Array.from({ length: n }, () => rng.int(columns)),
    ),
  };
  return { graph: g, feeds };
}
