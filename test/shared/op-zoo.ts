// A small graph whose loss passes through every op with a backward rule, plus its gradients:
// one artefact to compare forward values and gradients across backends.
import { gradients } from '../../src/engine/autodiff.js';
import type { DType, HostTensor } from '../../src/engine/dtype.js';
import { hostTensor } from '../../src/engine/dtype.js';
import { Graph, type Value } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops.js';
import { Rng } from '../../src/util/rng.js';

export interface Case {
  graph: Graph;
  feeds: Record<string, HostTensor>;
}

export function opZoo(dtype: DType = 'float32', seed = 7): Case {
  const g = new Graph('op_zoo');
  const a = g.input('a', dtype, [3, 4]);
  const b = g.input('b', dtype, [4]);
  const table = g.input('table', dtype, [6, 4]);
  const scale = g.input('scale', dtype, [4]);
  const bias = g.input('bias', dtype, [4]);
  const idx = g.input('idx', 'int32', [5]);
  const x = op.add(a, b); // [3, 4]
  const pos = op.add(op.abs(x), 1);
  const s = op.sqrt(op.add(op.mul(x, x), 1));
  const terms: Value[] = [
    op.min(op.exp(op.mul(x, 0.3)), s),
    op.max(op.log(pos), op.pow(pos, 1.5)),
    op.clip(x, -0.5, 0.8),
    op.where(op.greater(x, 0.7), op.sigmoid(x), op.tanh(x)),
    op.relu(op.sub(x, 0.9)),
    op.gelu(op.mul(x, 2)),
    op.reciprocal(op.add(s, 1)),
    op.neg(op.erf(x)),
    op.logSoftmax(x, 1),
    op.logSoftmaxGpu(x, 0),
    op.softmax(x, 0),
    op.layerNorm(x, scale, bias),
    op.expand(op.unsqueeze(op.mean(x, [1]), [1]), [3, 4]),
    op.div(x, pos),
    op.cast(op.cast(x, dtype === 'float32' ? 'float64' : 'float32'), dtype),
  ];
  const sl = op.slice(x, [1, 1], [3, 4], [0, 1]); // [2, 3]
  const cc = op.transpose(op.concat([sl, sl], 0), [1, 0]); // [3, 4]
  terms.push(op.reshape(op.squeeze(op.unsqueeze(cc, [0]), [0]), [3, 4]));
  const gathered = op.reduceMax(op.gather(table, idx), [0], true); // [1, 4]
  terms.push(op.matmul(op.transposeLast(op.reshape(op.matmul(x, op.transposeLast(x)), [3, 3])), x)); // [3, 4]
  const rng = new Rng(seed);
  const total = terms.reduce((acc, t, i) => op.add(acc, op.mul(t, (i % 5) * 0.1 + 0.3)), gathered as Value);
  const weights = g.constant(
    dtype,
    [3, 4],
    Array.from({ length: 12 }, () => rng.normal()),
    'R',
  );
  const loss = op.sum(op.mul(total, weights));
  g.output(loss, 'loss');
  g.output(total, 'total');
  const wrt = { a, b, table, scale, bias };
  const grads = gradients(loss, Object.values(wrt));
  Object.keys(wrt).forEach((k, i) => {
    g.output(grads[i] as Value, `grad.${k}`);
  });
  const rand = (shape: number[], lo: number, hi: number) =>
    hostTensor(
      dtype,
      shape,
      Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => lo + (hi - lo) * rng.next()),
    );
  const feeds = {
    a: rand([3, 4], -1, 1),
    b: rand([4], -0.5, 0.5),
    table: rand([6, 4], -1, 1),
    scale: rand([4], 0.5, 1.5),
    bias: rand([4], -0.2, 0.2),
    idx: hostTensor('int32', [5], [0, 3, 3, 5, 1]),
  };
  return { graph: g, feeds };
}
