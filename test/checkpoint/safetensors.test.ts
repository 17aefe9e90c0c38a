// safetensors encode/decode: bit-exact round trips, byte layout against the spec, and every malformed case.
import { describe, expect, it } from 'vitest';
import { CheckpointError, decodeSafetensors, encodeSafetensors } from '../../src/checkpoint/safetensors.js';
import type { HostTensor } from '../../src/engine/dtype.js';

/** Builds a safetensors file from a raw header string and data bytes (header padded to 8 with spaces). */
function rawFile(header: string | object, data: ArrayLike<number> = [], pad = true): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const n = pad ? Math.ceil(json.length / 8) * 8 : json.length;
  const out = new Uint8Array(8 + n + data.length).fill(0x20, 8, 8 + n);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.set(data, 8 + n);
  return out;
}

const bitsEqual = (a: HostTensor, b: HostTensor): void => {
  expect(b.dtype).toBe(a.dtype);
  expect(b.shape).toEqual(a.shape);
  expect(b.data.constructor).toBe(a.data.constructor);
  expect(new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength)).toEqual(
    new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength),
  );
};

const decodeError = (bytes: Uint8Array): string => {
  try {
    decodeSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return (e as Error).message;
  }
  throw new Error('expected decodeSafetensors to throw');
};

describe('safetensors round trip', () => {
  it('keeps float32/float64/int32/int64/bool tensors and metadata bit-exact', () => {
    const tensors = new Map<string, HostTensor>([
      [
        'w.f32',
        { dtype: 'float32', shape: [2, 3], data: Float32Array.of(1.5, -0, Math.PI, 1e-45, NaN, -Infinity) },
      ],
      ['w.f64', { dtype: 'float64', shape: [3], data: Float64Array.of(Math.E, -1e308, 5e-324) }],
      ['idx', { dtype: 'int32', shape: [1, 2, 2], data: Int32Array.of(-2147483648, 2147483647, 0, -1) }],
      ['big', { dtype: 'int64', shape: [2], data: BigInt64Array.of(-(2n ** 63n), 2n ** 53n + 1n) }],
      ['mask', { dtype: 'bool', shape: [3], data: Uint8Array.of(1, 0, 1) }],
      ['scalar', { dtype: 'float32', shape: [], data: Float32Array.of(7) }],
      ['empty', { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) }],
    ]);
    const meta = { format: 'pt', note: 'ünïcode ✓', json: '{"a":[1,2]}' };
    const { tensors: back, metadata } = decodeSafetensors(encodeSafetensors(tensors, meta));
    expect(metadata).toEqual(meta);
    expect([...back.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) bitsEqual(t, back.get(name) as HostTensor);
  });

  it('accepts a plain record, copies into aligned arrays and tolerates unaligned input views', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'int32', shape: [1], data: Int32Array.of(5) } });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const { tensors, metadata } = decodeSafetensors(shifted.subarray(3));
    expect(metadata).toEqual({});
    const a = tensors.get('a') as HostTensor;
    expect(a.data.byteOffset % 4).toBe(0);
    expect(Array.from(a.data as Int32Array)).toEqual([5]);
  });

  it('decodes a Node Buffer (whose slice() is a view) into independent arrays', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'int32', shape: [1], data: Int32Array.of(-3) },
      b: { dtype: 'float64', shape: [2], data: Float64Array.of(0.25, 8) },
    });
    const { tensors } = decodeSafetensors(Buffer.from(bytes));
    expect(Array.from(tensors.get('a')?.data as Int32Array)).toEqual([-3]);
    expect(Array.from(tensors.get('b')?.data as Float64Array)).toEqual([0.25, 8]);
    expect(tensors.get('b')?.data.buffer.byteLength).toBe(16);
  });

  it('encodes subarray views by their own bytes only', () => {
    const big = Float32Array.of(1, 2, 3, 4);
    const bytes = encodeSafetensors({ v: { dtype: 'float32', shape: [2], data: big.subarray(1, 3) } });
    expect(Array.from(decodeSafetensors(bytes).tensors.get('v')?.data as Float32Array)).toEqual([2, 3]);
  });
});

describe('safetensors byte layout', () => {
  const bytes = encodeSafetensors(
    {
      b: { dtype: 'float64', shape: [2], data: Float64Array.of(1, -2) },
      a: { dtype: 'int32', shape: [3], data: Int32Array.of(1, 2, 3) },
    },
    { k: 'v' },
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));

  it('starts with a little-endian u64 header length, padded to 8 bytes with spaces', () => {
    expect(n % 8).toBe(0);
    expect(view.getUint32(4, true)).toBe(0); // high half of the u64
    expect(headerText.startsWith('{')).toBe(true);
    expect(headerText.trimEnd().endsWith('}')).toBe(true);
    expect(/^ *$/.test(headerText.slice(headerText.trimEnd().length))).toBe(true);
    expect(bytes.length).toBe(8 + n + 12 + 16);
  });

  it('writes sorted, contiguous data_offsets relative to the data section and little-endian data', () => {
    const header = JSON.parse(headerText);
    expect(header).toEqual({
      __metadata__: { k: 'v' },
      a: { dtype: 'I32', shape: [3], data_offsets: [0, 12] },
      b: { dtype: 'F64', shape: [2], data_offsets: [12, 28] },
    });
    const data = 8 + n;
    expect([view.getInt32(data, true), view.getInt32(data + 4, true), view.getInt32(data + 8, true)]).toEqual(
      [1, 2, 3],
    );
    expect([view.getFloat64(data + 12, true), view.getFloat64(data + 20, true)]).toEqual([1, -2]);
  });

  it('decodes a hand-made minimal file', () => {
    // header {"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} unpadded (readers must not require padding)
    const data = [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]; // 1.0f, -2.0f little-endian
    const file = rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', data, false);
    const { tensors, metadata } = decodeSafetensors(file);
    expect(metadata).toEqual({});
    const x = tensors.get('x') as HostTensor;
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([2]);
    expect(Array.from(x.data as Float32Array)).toEqual([1, -2]);
  });

  it('decodes an empty file with only "{}" padded', () => {
    expect(decodeSafetensors(rawFile('{}')).tensors.size).toBe(0);
    expect(decodeSafetensors(encodeSafetensors({})).tensors.size).toBe(0);
  });
});

describe('malformed safetensors', () => {
  const f32 = (name: string, begin: number, end: number, shape = [(end - begin) / 4]) => ({
    [name]: { dtype: 'F32', shape, data_offsets: [begin, end] },
  });

  it('rejects files that are too short or truncated', () => {
    expect(decodeError(new Uint8Array(5))).toMatch(/file too short: 5 bytes/);
    const ok = encodeSafetensors({ a: { dtype: 'float32', shape: [4], data: new Float32Array(4) } });
    expect(decodeError(ok.subarray(0, 20))).toMatch(/header length \d+ goes beyond the end of the file/);
    expect(decodeError(ok.subarray(0, ok.length - 1))).toMatch(
      /tensor "a": data_offsets \[0, 16\] out of range \(data section is 15 bytes\)/,
    );
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(decodeError(huge)).toMatch(/header length 9223372036854775808 goes beyond the end of the file/);
  });

  it('rejects a header that is not JSON', () => {
    expect(decodeError(rawFile('{"a": [1, 2}'))).toMatch(/^header is not JSON: /);
    expect(decodeError(rawFile('nope nope'))).toMatch(/header is not JSON: it does not start with "\{"/);
    expect(decodeError(rawFile('[1, 2, 3]'))).toMatch(/header is not JSON/);
    const bad = rawFile('{"\u00e9":1}');
    bad[10] = 0xff; // invalid UTF-8 byte inside the header
    expect(decodeError(bad)).toMatch(/header is not valid UTF-8/);
  });

  it('rejects unknown and unsupported dtypes', () => {
    const hdr = (dtype: string) => ({ w: { dtype, shape: [1], data_offsets: [0, 4] } });
    expect(decodeError(rawFile(hdr('Q7'), [0, 0, 0, 0]))).toMatch(
      /tensor "w": unknown dtype "Q7" \(supported: F32/,
    );
    expect(decodeError(rawFile(hdr('F16'), [0, 0, 0, 0]))).toMatch(/tensor "w": unsupported dtype F16/);
  });

  it('rejects offsets that do not match shape × dtype size', () => {
    const file = rawFile(f32('w', 0, 8, [3]), new Uint8Array(8));
    expect(decodeError(file)).toMatch(/tensor "w": data_offsets \[0, 8\] span 8 bytes but F32\[3\] needs 12/);
  });

  it('rejects bad shapes, bad offsets and extra fields', () => {
    expect(decodeError(rawFile({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }))).toMatch(
      /tensor "w": shape \[-1\] is not a list of integers/,
    );
    expect(decodeError(rawFile({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }))).toMatch(
      /tensor "w": data_offsets \[4,0\] is not \[begin, end\]/,
    );
    expect(decodeError(rawFile({ w: { dtype: 'F32', shape: [0], data_offsets: [0, 0], x: 1 } }))).toMatch(
      /tensor "w": unknown header field "x"/,
    );
    expect(decodeError(rawFile({ __metadata__: { a: 1 } }))).toMatch(/__metadata__\["a"\] is not a string/);
  });

  it('rejects overlapping tensors', () => {
    const file = rawFile({ ...f32('a', 0, 8), ...f32('b', 4, 12) }, new Uint8Array(12));
    expect(decodeError(file)).toMatch(/tensors "a" \[0, 8\] and "b" \[4, 12\] overlap/);
  });

  it('rejects gaps and trailing bytes (non-contiguous data)', () => {
    const gap = rawFile({ ...f32('a', 0, 4), ...f32('b', 8, 12) }, new Uint8Array(12));
    expect(decodeError(gap)).toMatch(
      /data is not contiguous: bytes \[4, 8\) before tensor "b" belong to no tensor/,
    );
    const trailing = rawFile(f32('a', 0, 4), new Uint8Array(6));
    expect(decodeError(trailing)).toMatch(
      /tensors cover 4 bytes but the data section has 6 \(2 trailing bytes\)/,
    );
  });

  it('rejects BOOL bytes other than 0/1', () => {
    const file = rawFile({ m: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, [1, 7]);
    expect(decodeError(file)).toMatch(/tensor "m": BOOL element 1 is 7/);
  });

  it('refuses to encode inconsistent tensors', () => {
    expect(() =>
      encodeSafetensors({ a: { dtype: 'float32', shape: [3], data: new Float32Array(2) } }),
    ).toThrow(/tensor "a": 2 elements for shape \[3\] \(needs 3\)/);
    expect(() =>
      encodeSafetensors({ a: { dtype: 'float32', shape: [2], data: new Float64Array(2) } }),
    ).toThrow(CheckpointError);
    expect(() =>
      encodeSafetensors({ __metadata__: { dtype: 'bool', shape: [], data: Uint8Array.of(1) } }),
    ).toThrow(/reserved/);
  });
});
