// The hand-written ONNX codec writes the very bytes protobufjs wrote for every graph the engine builds, reads them back,
// refuses malformed objects naming the field, and no module the workers load generates code (CSP: no 'unsafe-eval').
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import { hostTensor } from '../../src/engine/dtype.js';
import { Graph } from '../../src/engine/graph.js';
import { ATTR_TYPE, decodeModel, encodeModel } from '../../src/engine/onnx-proto.js';
import * as op from '../../src/engine/ops.js';
import { Runtime } from '../../src/engine/runtime.js';
import { exportDecoderOnnx } from '../../src/hf/decoder-graph.js';
import { type GptConfig, gptParamSpecs, gptSftStepGraph } from '../../src/model/gpt.js';
import { initParams } from '../../src/nn/params.js';
import { grpoUpdateGraph } from '../../src/rl/grpo-graph.js';

/** The reflection schema src/engine/onnx-proto.ts used with protobufjs before (the reference encoder). */
const f = (id: number, type: string, repeated = false) => ({
  id,
  type,
  ...(repeated ? { rule: 'repeated' } : {}),
});
const REF = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: f(1, 'int64'),
            opsetImport: f(8, 'OperatorSetIdProto', true),
            producerName: f(2, 'string'),
            producerVersion: f(3, 'string'),
            docString: f(6, 'string'),
            graph: f(7, 'GraphProto'),
          },
        },
        OperatorSetIdProto: { fields: { domain: f(1, 'string'), version: f(2, 'int64') } },
        GraphProto: {
          fields: {
            node: f(1, 'NodeProto', true),
            name: f(2, 'string'),
            initializer: f(5, 'TensorProto', true),
            docString: f(10, 'string'),
            input: f(11, 'ValueInfoProto', true),
            output: f(12, 'ValueInfoProto', true),
            valueInfo: f(13, 'ValueInfoProto', true),
          },
        },
        NodeProto: {
          fields: {
            input: f(1, 'string', true),
            output: f(2, 'string', true),
            name: f(3, 'string'),
            opType: f(4, 'string'),
            attribute: f(5, 'AttributeProto', true),
            domain: f(7, 'string'),
          },
        },
        AttributeProto: {
          fields: {
            name: f(1, 'string'),
            type: f(20, 'int32'),
            f: f(2, 'float'),
            i: f(3, 'int64'),
            s: f(4, 'bytes'),
            t: f(5, 'TensorProto'),
            floats: f(7, 'float', true),
            ints: f(8, 'int64', true),
          },
        },
        ValueInfoProto: { fields: { name: f(1, 'string'), type: f(2, 'TypeProto') } },
        TypeProto: {
          fields: { tensorType: f(1, 'Tensor') },
          nested: { Tensor: { fields: { elemType: f(1, 'int32'), shape: f(2, 'TensorShapeProto') } } },
        },
        TensorShapeProto: {
          fields: { dim: f(1, 'Dimension', true) },
          nested: { Dimension: { fields: { dimValue: f(1, 'int64'), dimParam: f(2, 'string') } } },
        },
        TensorProto: {
          fields: {
            dims: f(1, 'int64', true),
            dataType: f(2, 'int32'),
            name: f(8, 'string'),
            rawData: f(9, 'bytes'),
          },
        },
      },
    },
  },
}).lookupType('onnx.ModelProto');

const reference = (model: object): Uint8Array => REF.encode(REF.fromObject(model)).finish();
/** Bytes (Uint8Array, or Buffer after its toJSON) as arrays of numbers, for comparing decoded models. */
const plain = (o: unknown) =>
  JSON.parse(
    JSON.stringify(o, (_k, v) =>
      v instanceof Uint8Array ? Array.from(v) : v?.type === 'Buffer' && Array.isArray(v.data) ? v.data : v,
    ),
  );
/** protobufjs's decoding: int64 as numbers, defaults left out. */
const refDecode = (bytes: Uint8Array) => plain(REF.toObject(REF.decode(bytes), { longs: Number }));

const cfg: GptConfig = { vocab: 24, ctx: 16, nLayer: 2, dModel: 16, nHead: 2, dMlp: 32 };
const weights = initParams(gptParamSpecs(cfg), 7);
/** The ONNX model objects the engine serialises: training, RL update and the Hugging Face export. */
const ENGINE_MODELS: Record<string, () => object> = {
  'SFT step': () => gptSftStepGraph(cfg, 2, 8).graph.toModelObject(),
  'GRPO update': () =>
    grpoUpdateGraph(cfg, 2, 8, { kl: 'k3', aggregation: 'token-mean' }).graph.toModelObject(),
  'HF decoder export (initializers, symbolic dims)': () => decodeModel(exportDecoderOnnx(cfg, weights)),
};

/** Every kind of field and value the schema carries, including the edge cases of the wire format. */
const EDGES = {
  irVersion: 9,
  producerName: 'gcrl ✓ ünïcode 😀 ok',
  producerVersion: '',
  docString: 'd',
  opsetImport: [
    { domain: '', version: 20 },
    { domain: 'com.microsoft', version: 1 },
  ],
  graph: {
    name: 'edges',
    node: [
      {
        name: 'n',
        opType: 'Op',
        domain: '',
        input: ['a', '', 'c'],
        output: ['y'],
        attribute: [
          { name: 'i0', type: ATTR_TYPE.INT, i: 0, f: 0 },
          { name: 'neg', type: ATTR_TYPE.INT, i: -1 },
          { name: 'big', type: ATTR_TYPE.INT, i: 2 ** 53 - 1 },
          { name: 'ints', type: ATTR_TYPE.INTS, ints: [0, 1, -2, 300, 2 ** 40, -(2 ** 40)] },
          { name: 'f', type: ATTR_TYPE.FLOAT, f: -0 },
          { name: 'f2', type: ATTR_TYPE.FLOAT, f: 1e-8 },
          { name: 'floats', type: ATTR_TYPE.FLOATS, floats: [0, -1.5, 3.25, Number.POSITIVE_INFINITY] },
          { name: 's', type: ATTR_TYPE.STRING, s: new TextEncoder().encode('mean') },
          { name: 'empty', type: ATTR_TYPE.STRING, s: new Uint8Array(0) },
          {
            name: 't',
            type: ATTR_TYPE.TENSOR,
            t: {
              dims: [2],
              dataType: 7,
              rawData: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]),
            },
          },
        ],
      },
    ],
    initializer: [{ name: 'w', dims: [0, 3], dataType: 1, rawData: new Uint8Array(0) }],
    input: [
      {
        name: 'x',
        type: {
          tensorType: {
            elemType: 1,
            shape: { dim: [{ dimParam: 'batch' }, { dimValue: 0 }, { dimValue: 130 }] },
          },
        },
      },
    ],
    output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [] } } } }],
    valueInfo: [],
  },
};

describe('ONNX codec', () => {
  for (const [what, build] of Object.entries(ENGINE_MODELS)) {
    it(`${what}: the same bytes as protobufjs, and they read back to the same model`, () => {
      const model = build();
      const bytes = encodeModel(model);
      expect(bytes.length).toBeGreaterThan(1000);
      expect(Buffer.from(bytes).equals(Buffer.from(reference(model)))).toBe(true);
      expect(plain(decodeModel(bytes))).toEqual(refDecode(bytes));
    });
  }

  it('every field, zero and empty values, negative and 2^53 int64s, -0 and Infinity: the same bytes', () => {
    const bytes = encodeModel(EDGES);
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(reference(EDGES)).toString('hex'));
    expect(plain(decodeModel(bytes))).toEqual(refDecode(bytes));
    const back = decodeModel(bytes) as typeof EDGES;
    const attrs = back.graph.node[0]?.attribute ?? [];
    expect(attrs.find((a) => a.name === 'ints')?.ints).toEqual([0, 1, -2, 300, 2 ** 40, -(2 ** 40)]);
    expect(attrs.find((a) => a.name === 'big')?.i).toBe(2 ** 53 - 1);
    expect(attrs.find((a) => a.name === 'i0')).toEqual({ name: 'i0', type: ATTR_TYPE.INT }); // zero is the default
    expect(back.graph.node[0]?.input).toEqual(['a', '', 'c']); // an empty optional input keeps its place
    expect(encodeModel({ irVersion: 9n, graph: { node: [{ attribute: [{ ints: [-1n, 5n] }] }] } })).toEqual(
      encodeModel({ irVersion: 9, graph: { node: [{ attribute: [{ ints: [-1, 5] }] }] } }),
    );
  });

  it('reads fields protobufjs leaves unpacked or the engine does not know, as other writers emit them', () => {
    // ModelProto { irVersion: 7 (varint), field 14 (unknown, bytes), graph { initializer { dims 2, dims 3 (unpacked) } } }
    const bytes = new Uint8Array([0x08, 7, 0x72, 2, 0xaa, 0xbb, 0x3a, 6, 0x2a, 4, 0x08, 2, 0x08, 3]);
    expect(decodeModel(bytes)).toEqual({ irVersion: 7, graph: { initializer: [{ dims: [2, 3] }] } });
    expect(() => decodeModel(bytes.subarray(0, 9))).toThrow(/ModelProto: length 6 runs past the end/);
    expect(() => decodeModel(new Uint8Array([0x0a, 1, 0]))).toThrow(/irVersion: wire type 2, expected 0/);
  });

  it('refuses a malformed model object, naming the field and the type it expected', () => {
    const bad: [object, RegExp][] = [
      [{ irVersion: 1.5 }, /irVersion: int64 expected/],
      [{ irVersion: '9' }, /irVersion: int64 expected/],
      [{ graph: { node: {} } }, /graph\.node: array expected/],
      [{ graph: { node: [{ name: 3 }] } }, /graph\.node\.0\.name: string expected/],
      [
        { graph: { initializer: [{ rawData: [1, 2] }] } },
        /graph\.initializer\.0\.rawData: Uint8Array expected/,
      ],
      [{ graph: { node: [{ attribute: [{ ints: [1, 2.5] }] }] } }, /attribute\.0\.ints\.1: int64 expected/],
      [{ graph: { input: ['x'] } }, /graph\.input\.0: ValueInfoProto object expected/],
    ];
    for (const [model, msg] of bad) expect(() => encodeModel(model)).toThrow(msg);
  });

  it('onnxruntime-node runs a model it wrote (int64 attributes, float attributes, initializers)', async () => {
    const g = new Graph('codec');
    const x = g.input('x', 'float32', [2, 3]);
    const w = g.constant('float32', [3], [1, -2, 0.5], 'w');
    g.output(op.mean(op.mul(op.add(x, w), 2), [1]), 'y'); // ReduceMean axes (int64s), Mul by a scalar
    const rt = await Runtime.create('node-cpu');
    const out = await (await rt.compile(encodeModel(g.toModelObject()))).runHost({
      x: hostTensor('float32', [2, 3], [1, 2, 3, 4, 5, 6]),
    });
    // rows + w = [2, 0, 3.5] and [5, 3, 6.5]; ×2 then mean → 11/3, 29/3
    expect(Array.from(out.y?.data as Float32Array).map((v) => Number(v.toFixed(4)))).toEqual([
      3.6667, 9.6667,
    ]);
  });

  it('no module under src/ or workers/ imports protobufjs or builds code at run time', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
      });
    const offenders = [...files('src'), ...files('workers')].filter((p) =>
      /from 'protobufjs|new Function\(|\beval\(/.test(readFileSync(p, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
