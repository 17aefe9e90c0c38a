// The graph builder: values with tracked dtype and static shape, nodes, initializers, and
// serialisation to ONNX ModelProto bytes. Op helpers with shape inference live in ops.ts.
import { type DType, type HostTensor, numel, ONNX_DTYPE, typedArray } from './dtype.js';
import { ATTR_TYPE, encodeModel } from './onnx-proto.js';

export const OPSET = 20; // 20: the fused Gelu node (approximate='tanh')
export type Shape = readonly number[];

export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };
export type Attrs = Readonly<Record<string, Attr>>;

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  ints: (value: readonly number[]): Attr => ({ kind: 'ints', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  floats: (value: readonly number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
};

/** A tensor-valued edge of the graph. Shapes are static: one graph per shape configuration. */
export interface Value {
  readonly graph: Graph;
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  /** The node that produced it; undefined for graph inputs and initializers. */
  readonly producer?: Node;
}

export interface Node {
  readonly op: string;
  readonly name: string;
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  readonly attrs: Attrs;
  /** Static arguments the op takes as int64 constant inputs (axes, shapes, slice bounds). */
  readonly params: Readonly<Record<string, readonly number[]>>;
}

/** An error found while building a graph, before anything reaches onnxruntime. */
export class GraphError extends Error {
  override name = 'GraphError';
}

export const fmtShape = (s: Shape): string => `[${s.join(', ')}]`;
export const describe = (v: Value | null): string => (v ? `${v.name}: ${v.dtype}${fmtShape(v.shape)}` : '∅');

export class Graph {
  readonly inputs: Value[] = [];
  readonly outputs: { value: Value; name: string }[] = [];
  readonly nodes: Node[] = [];
  readonly initializers = new Map<string, HostTensor>();
  private readonly names = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly scopes: string[] = [];
  private readonly constCache = new Map<string, Value>();

  constructor(readonly name = 'graph') {}

  /** Prefix generated names inside `fn` with `prefix/` (nestable), for readable dumps. */
  scope<T>(prefix: string, fn: () => T): T {
    this.scopes.push(prefix);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** A fresh unique name `scope/base` or `scope/base_N`. */
  fresh(base: string): string {
    const stem = [...this.scopes, base].join('/');
    let n = this.counters.get(stem) ?? 0;
    let name = n === 0 ? stem : `${stem}_${n}`;
    while (this.names.has(name)) name = `${stem}_${++n}`;
    this.counters.set(stem, n + 1);
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new GraphError(`duplicate value name '${name}'`);
    this.names.add(name);
    return name;
  }

  input(name: string, dtype: DType, shape: Shape): Value {
    checkShape(shape, `input '${name}'`);
    const v: Value = { graph: this, name: this.claim(name), dtype, shape: [...shape] };
    this.inputs.push(v);
    return v;
  }

  /** Marks `value` as a graph output named `name` (an Identity is inserted when names differ). */
  output(value: Value, name: string = value.name): Value {
    this.own(value);
    let v = value;
    if (name !== value.name || this.inputs.includes(value) || this.outputs.some((o) => o.value === value)) {
      v = this.addNode(
        'Identity',
        [value],
        [{ dtype: value.dtype, shape: value.shape }],
        {},
        {},
        name,
      )[0] as Value;
    }
    this.outputs.push({ value: v, name: v.name });
    return v;
  }

  /** A constant tensor stored as an initializer. Small constants are deduplicated. */
  constant(dtype: DType, shape: Shape, values: ArrayLike<number>, base = 'const'): Value {
    checkShape(shape, 'constant');
    if (values.length !== numel(shape)) {
      throw new GraphError(`constant: ${values.length} values for shape ${fmtShape(shape)}`);
    }
    const key = values.length <= 16 ? `${dtype}|${shape.join(',')}|${Array.from(values).join(',')}` : '';
    const cached = key ? this.constCache.get(key) : undefined;
    if (cached) return cached;
    const name = this.fresh(base);
    this.initializers.set(name, { dtype, shape: [...shape], data: typedArray(dtype, values) });
    const v: Value = { graph: this, name, dtype, shape: [...shape] };
    if (key) this.constCache.set(key, v);
    return v;
  }

  scalar(value: number, dtype: DType = 'float32'): Value {
    return this.constant(dtype, [], [value], 'c');
  }

  /** Appends a node whose output types are already known (ops.ts infers them). */
  addNode(
    op: string,
    inputs: readonly (Value | null)[],
    outTypes: readonly { dtype: DType; shape: Shape }[],
    attrs: Attrs = {},
    params: Record<string, readonly number[]> = {},
    outName?: string,
  ): Value[] {
    for (const v of inputs) if (v) this.own(v);
    const nodeName = this.fresh(`${op}`);
    const outputs: Value[] = [];
    const node: Node = { op, name: nodeName, inputs: [...inputs], outputs, attrs, params };
    outTypes.forEach((t, i) => {
      checkShape(t.shape, `${op} output`);
      const name =
        i === 0 && outName ? this.claim(outName) : this.fresh(`${op}${outTypes.length > 1 ? i : ''}_out`);
      outputs.push({ graph: this, name, dtype: t.dtype, shape: [...t.shape], producer: node });
    });
    this.nodes.push(node);
    return outputs;
  }

  private own(v: Value): void {
    if (v.graph !== this)
      throw new GraphError(`value '${v.name}' belongs to graph '${v.graph.name}', not '${this.name}'`);
  }

  /** Serialises to ONNX ModelProto bytes (opset OPSET, IR version 9). */
  toOnnx(): Uint8Array {
    return encodeModel(this.toModelObject());
  }

  toModelObject(): object {
    const used = new Set<string>();
    for (const n of this.nodes) for (const v of n.inputs) if (v) used.add(v.name);
    for (const o of this.outputs) used.add(o.value.name); // a constant may be an output itself
    const valueInfo = (v: { name: string; dtype: DType; shape: Shape }) => ({
      name: v.name,
      type: {
        tensorType: { elemType: ONNX_DTYPE[v.dtype], shape: { dim: v.shape.map((d) => ({ dimValue: d })) } },
      },
    });
    return {
      irVersion: 9,
      producerName: 'gcrl-playground',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map((o) => valueInfo(o.value)),
        initializer: [...this.initializers]
          .filter(([name]) => used.has(name))
          .map(([name, t]) => ({
            name,
            dataType: ONNX_DTYPE[t.dtype],
            dims: [...t.shape],
            rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
          })),
        node: this.nodes.map((n) => ({
          name: n.name,
          opType: n.op,
          input: n.inputs.map((v) => v?.name ?? ''),
          output: n.outputs.map((v) => v.name),
          attribute: Object.entries(n.attrs).map(([name, a]) => attrProto(name, a)),
        })),
      },
    };
  }
}

function attrProto(name: string, a: Attr): object {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_TYPE.INT, i: a.value };
    case 'ints':
      return { name, type: ATTR_TYPE.INTS, ints: [...a.value] };
    case 'float':
      return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case 'floats':
      return { name, type: ATTR_TYPE.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function checkShape(shape: Shape, what: string): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new GraphError(`${what}: shape ${fmtShape(shape)} must be non-negative integers`);
  }
}
