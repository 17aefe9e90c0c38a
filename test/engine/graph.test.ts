// Graph builder and autodiff behaviour at build time: errors, pruning, naming, dumps, serialisation.
import { beforeAll, describe, expect, it } from 'vitest';
import { gradients } from '../../src/engine/autodiff.js';
import { hostTensor } from '../../src/engine/dtype.js';
import { dumpGraph } from '../../src/engine/dump.js';
import { Graph, GraphError, type Value } from '../../src/engine/graph.js';
import { decodeModel } from '../../src/engine/onnx-proto.js';
import * as op from '../../src/engine/ops.js';
import { Runtime } from '../../src/engine/runtime.js';
import { nums } from './gradcheck.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create('node-cpu');
});

/** Runs `fn` and returns the GraphError it throws (failing if it throws anything else or nothing). */
function graphError(fn: () => unknown): GraphError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphError);
    return e as GraphError;
  }
  throw new Error('expected a GraphError, nothing was thrown');
}

const gradNodeCount = (g: Graph) => g.nodes.filter((n) => n.name.startsWith('grad/')).length;

describe('shape errors at build time', () => {
  const g = new Graph('shapes');
  const a = g.input('a', 'float32', [2, 3]);
  const b = g.input('b', 'float32', [4]);
  const m = g.input('m', 'float32', [4, 5]);
  const c = g.input('c', 'float32', [3, 3]);
  const i = g.input('i', 'int32', [2, 3]);

  it('Add of non-broadcastable shapes names the op and both shapes', () => {
    expect(graphError(() => op.add(a, b)).message).toMatch(
      /^Add\(a: float32\[2, 3\], b: float32\[4\]\).*broadcast/,
    );
  });
  it('MatMul with differing inner dims names the op, shapes and dims', () => {
    expect(graphError(() => op.matmul(a, m)).message).toMatch(
      /^MatMul\(a: float32\[2, 3\], m: float32\[4, 5\]\): inner dimensions differ \(3 vs 4\)/,
    );
  });
  it('Concat of disagreeing shapes names the op and the shapes', () => {
    expect(graphError(() => op.concat([a, c], 1)).message).toMatch(
      /^Concat\(a: float32\[2, 3\], c: float32\[3, 3\]\).*axis but 1/,
    );
  });
  it('Reshape to a different element count names the op, input shape and target', () => {
    expect(graphError(() => op.reshape(a, [4, 2])).message).toMatch(
      /^Reshape\(a: float32\[2, 3\]\): cannot reshape to \[4, 2\]/,
    );
    expect(() => op.reshape(a, [-1, -1])).toThrow(GraphError);
  });
  it('dtype mismatches and bad axes are rejected', () => {
    expect(graphError(() => op.add(a, i)).message).toMatch(/^Add\(.*dtype mismatch float32 vs int32/);
    expect(graphError(() => op.softmax(a, 2)).message).toMatch(
      /^Softmax\(a: float32\[2, 3\]\): axis 2 out of range/,
    );
    expect(() => op.squeeze(a, [0])).toThrow(/Squeeze.*not all of size 1/);
    expect(() => op.transpose(a, [0, 0])).toThrow(/Transpose.*not a permutation/);
    expect(() => op.expand(a, [3, 3])).toThrow(/Expand.*cannot broadcast to \[3, 3\]/);
  });
  it('Slice with a repeated axis fails at build time, not in onnxruntime', () => {
    expect(graphError(() => op.slice(a, [0, 1], [1, 2], [0, -2])).message).toMatch(
      /^Slice\(a: float32\[2, 3\]\): repeated axes \[0, -2\]/,
    );
  });
  it('values of another graph are rejected', () => {
    const other = new Graph('other').input('z', 'float32', [2, 3]);
    expect(() => op.add(a, other)).toThrow(/belongs to graph 'other'/);
  });
  it('inferred shapes follow broadcasting and batched matmul rules', () => {
    const h = new Graph('infer');
    expect(op.add(h.input('p', 'float32', [2, 1, 3]), h.input('q', 'float32', [4, 1])).shape).toEqual([
      2, 4, 3,
    ]);
    expect(
      op.matmul(h.input('r', 'float32', [2, 1, 3, 4]), h.input('s', 'float32', [3, 4, 2])).shape,
    ).toEqual([2, 3, 3, 2]);
    expect(op.slice(h.input('t', 'float32', [4, 5]), [1, -3], [3, 99], [0, 1]).shape).toEqual([2, 3]);
  });
});

describe('gradients()', () => {
  it('throws GraphError naming an op without a backward rule and its shapes', () => {
    const g = new Graph('norule');
    const x = g.input('x', 'float64', [2, 3]);
    const [s] = g.addNode('Sin', [x], [{ dtype: 'float64', shape: [2, 3] }]);
    const loss = op.sum(op.mul(s, x));
    expect(graphError(() => gradients(loss, [x])).message).toMatch(
      /no backward rule for op Sin .*float64\[2, 3\]/,
    );
  });

  it('does not need rules for ops off the path between wrt and loss', () => {
    const g = new Graph('offpath');
    const x = g.input('x', 'float64', [2]);
    const w = g.input('w', 'float64', [2]);
    const [s] = g.addNode('Sin', [w], [{ dtype: 'float64', shape: [2] }]); // no rule, but wrt is x only
    const loss = op.sum(op.mul(x, s));
    expect(() => gradients(loss, [x])).not.toThrow();
  });

  it('rejects a non-scalar or non-float loss and non-float wrt', () => {
    const g = new Graph('loss');
    const x = g.input('x', 'float32', [2, 3]);
    const k = g.input('k', 'int32', []);
    expect(graphError(() => gradients(op.mul(x, 2), [x])).message).toMatch(
      /loss must be a float scalar.*\[2, 3\]/,
    );
    expect(() => gradients(k, [x])).toThrow(/loss must be a float scalar.*int32/);
    expect(() => gradients(op.sum(x), [k])).toThrow(/cannot differentiate w\.r\.t\. k: int32/);
  });

  it('gives zeros for inputs the loss does not depend on, and runs', async () => {
    const g = new Graph('unrelated');
    const x = g.input('x', 'float32', [3]);
    const z = g.input('z', 'float32', [2, 2]);
    const s = g.input('s', 'float32', []);
    const side = op.exp(z); // depends on z but does not reach the loss
    g.output(side, 'side');
    const loss = op.sum(op.mul(x, x));
    const [gx, gz, gs] = gradients(loss, [x, z, s]);
    expect(gz.shape).toEqual([2, 2]);
    expect(gs.shape).toEqual([]);
    g.output(gx, 'gx');
    g.output(gz, 'gz');
    g.output(gs); // a zero scalar constant, output under its own name
    const p = await rt.compile(g.toOnnx());
    const out = await p.runHost({
      x: hostTensor('float32', [3], [1, -2, 3]),
      z: hostTensor('float32', [2, 2], [1, 2, 3, 4]),
      s: hostTensor('float32', [], [5]),
    });
    expect(nums(out.gx)).toEqual([2, -4, 6]);
    expect(nums(out.gz)).toEqual([0, 0, 0, 0]);
    expect(nums(out[gs.name])).toEqual([0]);
  });

  it('a zero gradient that is a bare constant can be a graph output (no node consumes it)', async () => {
    const g = new Graph('constgrad');
    const x = g.input('x', 'float64', []);
    const s = g.input('s', 'float64', []);
    const loss = op.mul(x, x);
    const [gx, gs] = gradients(loss, [x, s]);
    expect(gs?.producer).toBeUndefined(); // the scalar zero is an initializer, not a node output
    g.output(gx as Value, 'gx');
    const out = g.output(gs as Value); // under its own (generated) name
    const p = await rt.compile(g.toOnnx());
    const res = await p.runHost({ x: hostTensor('float64', [], [3]), s: hostTensor('float64', [], [1]) });
    expect(nums(res.gx)).toEqual([6]);
    expect(nums(res[out.name])).toEqual([0]);
  });

  it('adds no backward nodes for branches that do not depend on wrt', () => {
    const build = (withBranch: boolean, wrtBoth = false) => {
      const g = new Graph('prune');
      const x = g.input('x', 'float32', [2, 3]);
      const w = g.input('w', 'float32', [2, 3]);
      let loss = op.sum(op.mul(x, w));
      if (withBranch) loss = op.add(loss, op.sum(op.tanh(op.exp(op.mul(w, 3))))); // independent of x
      if (withBranch) g.output(op.sigmoid(x), 'side'); // depends on x, does not reach the loss
      gradients(loss, wrtBoth ? [x, w] : [x]);
      return g;
    };
    const plain = gradNodeCount(build(false));
    expect(plain).toBeGreaterThan(0);
    expect(gradNodeCount(build(true))).toBe(plain);
    // Sanity: the counter does see backward nodes once the branch is on a wrt path.
    expect(gradNodeCount(build(true, true))).toBeGreaterThan(gradNodeCount(build(false, true)) + 3);
  });
});

describe('graph naming, constants and dumps', () => {
  it('rejects duplicate names', () => {
    const g = new Graph('dup');
    const x = g.input('x', 'float32', [2]);
    expect(graphError(() => g.input('x', 'float32', [3])).message).toMatch(/duplicate value name 'x'/);
    g.output(op.neg(x), 'y');
    expect(() => g.output(op.exp(x), 'y')).toThrow(/duplicate value name 'y'/);
    expect(() => g.output(op.exp(x), 'x')).toThrow(/duplicate value name 'x'/);
  });

  it('deduplicates small constants by dtype, shape and values', () => {
    const g = new Graph('consts');
    expect(g.scalar(2)).toBe(g.scalar(2));
    expect(g.scalar(2, 'float64')).not.toBe(g.scalar(2));
    expect(g.scalar(3)).not.toBe(g.scalar(2));
    expect(g.constant('float32', [2], [1, 2])).toBe(g.constant('float32', [2], [1, 2]));
    expect(g.constant('float32', [1, 2], [1, 2])).not.toBe(g.constant('float32', [2], [1, 2]));
    const big = Array.from({ length: 17 }, (_, i) => i);
    expect(g.constant('float32', [17], big)).not.toBe(g.constant('float32', [17], big));
    expect(g.initializers.size).toBe(7);
    expect(() => g.constant('float32', [3], [1, 2])).toThrow(/2 values for shape \[3\]/);
  });

  it('dumpGraph lists inputs, constants, ops with shapes and outputs', () => {
    const g = new Graph('dumped');
    const x = g.input('x', 'float32', [2, 3]);
    const w = g.input('w', 'float32', [3, 4]);
    g.output(op.sum(op.relu(op.matmul(x, w)), [1]), 'y');
    const text = dumpGraph(g);
    expect(text).toMatch(/^graph dumped: 2 inputs, 1 outputs, 4 nodes/);
    expect(text).toContain('input  x:float32[2, 3]');
    expect(text).toContain('input  w:float32[3, 4]');
    expect(text).toMatch(/= MatMul\(x:float32\[2, 3\], w:float32\[3, 4\]\)/);
    expect(text).toMatch(/:float32\[2, 4\] = Relu\(/);
    expect(text).toMatch(/ReduceSum\(.*\{keepdims=0 axes=\[1\]\}/);
    expect(text).toMatch(/const .*:int64\[1\] = \[1\]/);
    expect(text).toMatch(/output y:float32\[2\]$/);
  });
});

describe('serialisation', () => {
  it('inferred shapes agree with the shapes onnxruntime computes', async () => {
    const g = new Graph('shapes_rt');
    const x = g.input('x', 'float32', [2, 1, 3]);
    const m = g.input('m', 'float32', [3, 1, 3, 4]);
    const i = g.input('i', 'int32', [5]);
    const c = g.input('c', 'bool', [1, 3]);
    const outs = {
      squeezeNone: op.squeeze(x, []),
      squeeze: op.squeeze(x, [1]),
      unsqueeze: op.unsqueeze(x, [0, -1]),
      slice: op.slice(m, [1, -2, 9], [99, 3, 10], [0, 2, 3]),
      reduce: op.sum(m, [1, -1], true),
      reduceAll: op.reduceMax(m),
      matmul: op.matmul(m, op.reshape(m, [3, 4, 3])),
      gather: op.gather(m, i, 2),
      expand: op.expand(x, [4, 2, 5, 3]),
      concat: op.concat([x, x, x], 1),
      transpose: op.transpose(m, [3, 0, 2, 1]),
      where: op.where(c, x, 0),
    };
    for (const [k, v] of Object.entries(outs)) g.output(v, k);
    const feeds = {
      x: hostTensor('float32', [2, 1, 3]),
      m: hostTensor('float32', [3, 1, 3, 4]),
      i: hostTensor('int32', [5], [0, 2, 1, 2, 0]),
      c: hostTensor('bool', [1, 3], [1, 0, 1]),
    };
    const res = await (await rt.compile(g.toOnnx())).runHost(feeds);
    for (const [k, v] of Object.entries(outs)) expect(res[k]?.shape, k).toEqual(v.shape);
  });

  it('bytes decode to the expected model and compute the right numbers in onnxruntime-node', async () => {
    const g = new Graph('tiny');
    const x = g.input('x', 'float32', [2, 3]);
    const w = g.constant('float32', [3, 2], [1, 0, 0, 1, 1, 1], 'w');
    const y = op.relu(op.add(op.matmul(x, w), g.constant('float32', [2], [-1, 0.5])));
    g.output(op.reshape(y, [4]), 'y');
    g.output(op.mean(x, [0, 1]), 'm');
    const bytes = g.toOnnx();
    const model = decodeModel(bytes) as { opsetImport: { version: number }[]; graph: { node: unknown[] } };
    expect(model.opsetImport[0]?.version).toBe(20);
    expect(model.graph.node).toHaveLength(g.nodes.length);

    const out = await (await rt.compile(bytes)).runHost({
      x: hostTensor('float32', [2, 3], [1, 2, 3, -4, 5, -6]),
    });
    // x @ w = [[1+3, 2+3], [-4-6, 5-6]] = [[4, 5], [-10, -1]]; + [-1, 0.5]; relu
    expect(out.y?.shape).toEqual([4]);
    expect(nums(out.y)).toEqual([3, 5.5, 0, 0]);
    expect(out.m?.shape).toEqual([]);
    expect(out.m?.data[0]).toBeCloseTo(1 / 6, 6);
  });
});
