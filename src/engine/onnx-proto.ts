// The subset of onnx.proto the engine writes and reads, as a hand-written codec: no generated code, no eval under CSP.

// Field numbers follow onnx/onnx.proto (IR version 9). The bytes are those protobufjs wrote before (pinned by
// test/engine/onnx-proto.test.ts): fields in id order, repeated numbers packed, zero/empty singular scalars left out.

type Scalar = 'int64' | 'int32' | 'float' | 'string' | 'bytes';
type Field = readonly [id: number, name: string, kind: Scalar | Message, repeated: boolean];
interface Message {
  readonly name: string;
  readonly fields: Field[]; // sorted by id
  readonly byId: Map<number, Field>;
}

/** `name id type` per field, `*` for repeated; a type is a scalar or another message here. */
const SCHEMA: Readonly<Record<string, string>> = {
  ModelProto:
    'irVersion 1 int64; producerName 2 string; producerVersion 3 string; docString 6 string; graph 7 GraphProto; ' +
    'opsetImport 8 OperatorSetIdProto*',
  OperatorSetIdProto: 'domain 1 string; version 2 int64',
  GraphProto:
    'node 1 NodeProto*; name 2 string; initializer 5 TensorProto*; docString 10 string; input 11 ValueInfoProto*; ' +
    'output 12 ValueInfoProto*; valueInfo 13 ValueInfoProto*',
  NodeProto:
    'input 1 string*; output 2 string*; name 3 string; opType 4 string; attribute 5 AttributeProto*; domain 7 string',
  AttributeProto:
    'name 1 string; f 2 float; i 3 int64; s 4 bytes; t 5 TensorProto; floats 7 float*; ints 8 int64*; type 20 int32',
  ValueInfoProto: 'name 1 string; type 2 TypeProto',
  TypeProto: 'tensorType 1 TypeProto.Tensor',
  'TypeProto.Tensor': 'elemType 1 int32; shape 2 TensorShapeProto',
  TensorShapeProto: 'dim 1 TensorShapeProto.Dimension*',
  'TensorShapeProto.Dimension': 'dimValue 1 int64; dimParam 2 string',
  TensorProto: 'dims 1 int64*; dataType 2 int32; name 8 string; rawData 9 bytes',
};
const SCALARS = new Set(['int64', 'int32', 'float', 'string', 'bytes']);
const TYPES = new Map(
  Object.keys(SCHEMA).map((name): [string, Message] => [name, { name, fields: [], byId: new Map() }]),
);
for (const [name, spec] of Object.entries(SCHEMA)) {
  const t = TYPES.get(name) as Message;
  for (const f of spec.split('; ')) {
    const [field, id, type] = f.split(' ') as [string, string, string];
    const base = type.replace('*', '');
    const kind = SCALARS.has(base) ? (base as Scalar) : (TYPES.get(base) as Message);
    t.fields.push([Number(id), field, kind, type.endsWith('*')]);
  }
  t.fields.sort((a, b) => a[0] - b[0]);
  for (const f of t.fields) t.byId.set(f[0], f);
}
const ModelProto = TYPES.get('ModelProto') as Message;

/** ONNX AttributeProto.AttributeType codes used by the engine. */
export const ATTR_TYPE = Object.freeze({ FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 });

const utf8 = new TextEncoder();
/** UTF-8 byte length, without encoding (TextEncoder per short string is the slow part of a big graph). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    const pair = c >= 0xd800 && c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    n += c < 0x800 ? 1 : 2; // 2 bytes; 3 (a lone surrogate becomes U+FFFD); a pair: 4 for its 2 units
    if (pair) i++;
  }
  return n;
}
const isNum = (k: Field[2]): k is 'int64' | 'int32' | 'float' =>
  k === 'int64' || k === 'int32' || k === 'float';
const wireType = (k: Field[2]) => (k === 'float' ? 5 : k === 'int64' || k === 'int32' ? 0 : 2);

/** A varint's payload: a non-negative safe number as is, anything else as its 64-bit two's complement. */
const u64 = (v: number | bigint): number | bigint =>
  typeof v === 'number' && v >= 0 ? v : BigInt.asUintN(64, BigInt(v));
function varintSize(v: number | bigint): number {
  let n = 1;
  if (typeof v === 'bigint') for (; v >= 128n; v >>= 7n) n++;
  else for (; v >= 128; v = Math.floor(v / 128)) n++;
  return n;
}

const VALID: Readonly<Record<Scalar, (v: unknown) => boolean>> = {
  int64: (v) => Number.isSafeInteger(v) || typeof v === 'bigint',
  int32: (v) => Number.isInteger(v) && Math.abs((v as number) + 0.5) < 2 ** 31,
  float: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  bytes: (v) => v instanceof Uint8Array,
};
/** Checks a scalar's JS type and says whether it is its type's default (then a singular field is left out). */
function scalar(v: unknown, k: Scalar): boolean {
  if (!VALID[k](v)) throw new BadField(`${k === 'bytes' ? 'Uint8Array' : k} expected`);
  return k === 'float'
    ? Object.is(v, 0)
    : typeof v === 'object' || typeof v === 'string'
      ? !(v as string).length
      : !v;
}

/** A malformed model object; the path to the field is filled in on the way out (no strings built otherwise). */
class BadField extends Error {
  readonly where: (string | number)[] = [];
}
const at = (e: unknown, where: string | number): never => {
  if (e instanceof BadField) e.where.unshift(where);
  throw e;
};

/**
 * One encoding: pass 1 checks and sizes every message and packed array, keeping the sizes in visiting
 * order; pass 2 visits the same values in the same order and writes into one buffer.
 */
class Writer {
  readonly sizes: number[] = [];
  next = 0; // pass 2's position in sizes
  buf = new Uint8Array(0);
  view = new DataView(this.buf.buffer);
  pos = 0;

  str(s: string): void {
    const n = utf8Length(s);
    this.varint(n);
    if (n === s.length) for (let i = 0; i < n; i++) this.buf[this.pos++] = s.charCodeAt(i);
    else this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  valueSize(v: unknown, k: Scalar | Message): number {
    if (typeof k !== 'string') {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
        throw new BadField(`${k.name} object expected`);
      const n = this.size(v, k);
      return varintSize(n) + n;
    }
    if (k === 'float') return 4;
    if (k === 'int64' || k === 'int32') return varintSize(u64(v as number | bigint));
    const n = k === 'string' ? utf8Length(v as string) : (v as Uint8Array).length;
    return varintSize(n) + n;
  }
  size(m: object, t: Message): number {
    const slot = this.sizes.push(0) - 1;
    let total = 0;
    for (const f of t.fields) {
      const id = f[0];
      const name = f[1];
      const k = f[2];
      const rep = f[3];
      const v = (m as Record<string, unknown>)[name];
      if (v == null) continue;
      const tag = varintSize(id << 3);
      try {
        if (!rep) {
          if (typeof k !== 'string' || !scalar(v, k)) total += tag + this.valueSize(v, k);
          continue;
        }
        if (!Array.isArray(v)) throw new BadField('array expected');
        if (v.length === 0) continue;
        let body = 0;
        for (let j = 0; j < v.length; j++) {
          try {
            if (typeof k === 'string') scalar(v[j], k);
            body += this.valueSize(v[j], k) + (isNum(k) ? 0 : tag);
          } catch (e) {
            at(e, j);
          }
        }
        if (isNum(k)) this.sizes.push(body); // the packed payload's length (no message inside)
        total += isNum(k) ? tag + varintSize(body) + body : body;
      } catch (e) {
        at(e, name);
      }
    }
    this.sizes[slot] = total;
    return total;
  }

  varint(v: number | bigint): void {
    if (typeof v === 'bigint') {
      for (; v >= 128n; v >>= 7n) this.buf[this.pos++] = Number(v & 127n) | 128;
      this.buf[this.pos++] = Number(v);
    } else {
      for (; v >= 128; v = Math.floor(v / 128)) this.buf[this.pos++] = (v % 128) | 128;
      this.buf[this.pos++] = v;
    }
  }
  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  value(v: unknown, k: Scalar | Message): void {
    if (typeof k !== 'string') {
      this.varint(this.sizes[this.next++] as number);
      this.write(v as object, k);
    } else if (k === 'float') {
      this.view.setFloat32(this.pos, v as number, true);
      this.pos += 4;
    } else if (k === 'int64' || k === 'int32') this.varint(u64(v as number | bigint));
    else if (k === 'string') this.str(v as string);
    else this.bytes(v as Uint8Array);
  }
  write(m: object, t: Message): void {
    for (const f of t.fields) {
      const id = f[0];
      const name = f[1];
      const k = f[2];
      const rep = f[3];
      const v = (m as Record<string, unknown>)[name] as (number | bigint)[] | undefined;
      if (v == null) continue;
      if (!rep) {
        if (typeof k === 'string' && scalar(v, k)) continue;
        this.varint((id << 3) | wireType(k));
        this.value(v, k);
      } else if (isNum(k)) {
        if (!v.length) continue;
        this.varint((id << 3) | 2);
        this.varint(this.sizes[this.next++] as number);
        for (const x of v) this.value(x, k);
      } else
        for (const x of v) {
          this.varint((id << 3) | wireType(k));
          this.value(x, k);
        }
    }
  }
  encode(m: object, t: Message): Uint8Array {
    if (typeof m !== 'object' || m === null) throw new Error('invalid ONNX model object: object expected');
    try {
      this.buf = new Uint8Array(this.size(m, t));
    } catch (e) {
      if (e instanceof BadField)
        throw new Error(`invalid ONNX model object: ${e.where.join('.')}: ${e.message}`);
      throw e;
    }
    this.view = new DataView(this.buf.buffer);
    this.next = 1; // sizes[0] is the whole buffer's
    this.write(m, t);
    return this.buf;
  }
}

/** Plain-object model description (int64 fields as safe-integer numbers or bigints) to ModelProto bytes. */
export function encodeModel(model: object): Uint8Array {
  return new Writer().encode(model, ModelProto);
}

/** Reads one message; unknown fields are skipped, repeated numbers read packed or not. */
function read(b: Uint8Array, start: number, end: number, t: Message): Record<string, unknown> {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = start;
  const varint = (): number | bigint => {
    let n = 0;
    for (let shift = 0; shift < 49; shift += 7) {
      if (pos >= end) throw new Error(`ONNX ${t.name}: truncated varint at byte ${pos}`);
      const c = b[pos++] as number;
      n += (c & 127) * 2 ** shift;
      if (c < 128) return n;
    }
    let big = BigInt(n);
    for (let shift = 49n; ; shift += 7n) {
      if (pos >= end || shift > 63n) throw new Error(`ONNX ${t.name}: bad varint at byte ${pos}`);
      const c = b[pos++] as number;
      big |= BigInt(c & 127) << shift;
      if (c < 128) return BigInt.asUintN(64, big);
    }
  };
  const len = (): number => {
    const n = Number(varint());
    if (pos + n > end) throw new Error(`ONNX ${t.name}: length ${n} runs past the end`);
    return n;
  };
  const scalar = (k: Scalar | Message): unknown => {
    if (typeof k !== 'string') {
      const n = len();
      pos += n;
      return read(b, pos - n, pos, k);
    }
    if (k === 'float') {
      pos += 4;
      if (pos > end) throw new Error(`ONNX ${t.name}: float runs past the end`);
      return view.getFloat32(pos - 4, true);
    }
    if (k === 'int64' || k === 'int32') {
      const v = varint();
      return k === 'int32'
        ? Number(BigInt.asIntN(32, BigInt(v)))
        : typeof v === 'number'
          ? v
          : Number(BigInt.asIntN(64, v));
    }
    const n = len();
    pos += n;
    const s = b.slice(pos - n, pos);
    return k === 'string' ? new TextDecoder().decode(s) : s;
  };
  const out: Record<string, unknown> = {};
  const list = (name: string): unknown[] => {
    out[name] ??= [];
    return out[name] as unknown[];
  };
  while (pos < end) {
    const tag = Number(varint());
    const [id, wt] = [Math.floor(tag / 8), tag & 7];
    const f = t.byId.get(id);
    if (!f) {
      if (wt === 0) varint();
      else if (wt === 1 || wt === 5) pos += wt === 1 ? 8 : 4;
      else if (wt === 2)
        pos = len() + pos; // len() first: it moves pos past the length
      else throw new Error(`ONNX ${t.name}: unsupported wire type ${wt} (field ${id})`);
      continue;
    }
    const [, name, k, rep] = f;
    if (rep && isNum(k) && wt === 2) {
      const stop = len() + pos;
      const arr = list(name);
      while (pos < stop) arr.push(scalar(k));
    } else if (wt !== wireType(k))
      throw new Error(`ONNX ${t.name}.${name}: wire type ${wt}, expected ${wireType(k)}`);
    else if (rep) list(name).push(scalar(k));
    else out[name] = scalar(k);
  }
  if (pos > end) throw new Error(`ONNX ${t.name}: field runs past the end`);
  return out;
}

/** Decodes ModelProto bytes into a plain object (int64 as numbers, bytes as Uint8Array; absent fields left out). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  return read(bytes, 0, bytes.length, ModelProto);
}
