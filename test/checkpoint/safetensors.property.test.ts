// Property tests of the safetensors codec: random bytes, random headers and damaged files are refused
// with a CheckpointError that says what is wrong (never another exception), and any tensors round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckpointError, decodeSafetensors, encodeSafetensors } from '../../src/checkpoint/safetensors.js';
import type { DType, HostTensor } from '../../src/engine/dtype.js';
import { hostTensor } from '../../src/engine/dtype.js';

const RUNS = { numRuns: 120 };

/** decodeSafetensors either succeeds or throws a CheckpointError with a message. */
function decodesOrRefuses(bytes: Uint8Array): void {
  try {
    decodeSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as Error).message.length).toBeGreaterThan(10);
  }
}

/** A file with `header` as its JSON header and `data` after it. */
function withHeader(header: string, data: Uint8Array = new Uint8Array()): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const shape = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
const tensor: fc.Arbitrary<HostTensor> = fc
  .tuple(fc.constantFrom<DType>('float32', 'float64', 'int32', 'int64', 'bool'), shape, fc.nat())
  .map(([dtype, s, seed]) => {
    const n = s.reduce((a, b) => a * b, 1);
    const vals = Array.from({ length: n }, (_, i) => ((seed + i * 7919) % 1000) - 500);
    if (dtype === 'bool')
      return hostTensor(
        dtype,
        s,
        vals.map((v) => (v > 0 ? 1 : 0)),
      );
    if (dtype === 'int64') return { dtype, shape: s, data: BigInt64Array.from(vals, (v) => BigInt(v)) };
    return hostTensor(dtype, s, dtype.startsWith('float') ? vals.map((v) => v / 8) : vals);
  });
const tensors = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__metadata__'),
  tensor,
  {
    maxKeys: 4,
  },
);

describe('decodeSafetensors (property)', () => {
  it('refuses random bytes with a CheckpointError, never another exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 96 }), decodesOrRefuses), RUNS);
  });

  it('refuses random JSON headers (and random data) with a CheckpointError', () => {
    const entry = fc.record(
      {
        dtype: fc.oneof(fc.constantFrom('F32', 'F64', 'I32', 'I64', 'BOOL', 'F16', 'X'), fc.anything()),
        shape: fc.oneof(shape, fc.anything()),
        data_offsets: fc.oneof(fc.tuple(fc.nat(64), fc.nat(64)), fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), entry, { maxKeys: 3 }), fc.jsonValue()),
        fc.uint8Array({ maxLength: 64 }),
        (h, data) => decodesOrRefuses(withHeader(JSON.stringify(h) ?? 'null', data)),
      ),
      RUNS,
    );
  });

  it('round-trips any tensors and metadata; any truncation or flipped length byte is refused or read back', () => {
    fc.assert(
      fc.property(
        tensors,
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
        fc.nat(),
        (ts, meta, cut) => {
          const bytes = encodeSafetensors(ts, meta);
          const back = decodeSafetensors(bytes);
          expect(back.metadata).toEqual(meta);
          expect([...back.tensors.keys()].sort()).toEqual(Object.keys(ts).sort());
          for (const [k, t] of Object.entries(ts)) {
            const b = back.tensors.get(k) as HostTensor;
            expect(b.dtype).toBe(t.dtype);
            expect(b.shape).toEqual(t.shape);
            expect(Array.from(b.data as ArrayLike<number | bigint>)).toEqual(
              Array.from(t.data as ArrayLike<number | bigint>),
            );
          }
          const short = bytes.slice(0, cut % bytes.length);
          expect(() => decodeSafetensors(short)).toThrow(CheckpointError);
          const flipped = bytes.slice();
          flipped[cut % 8] = (flipped[cut % 8] as number) ^ 0x40;
          decodesOrRefuses(flipped);
        },
      ),
      RUNS,
    );
  });
});
