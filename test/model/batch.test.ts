// Host batch assembly: exact padded tokens, positions, attention biases, shifted targets and loss masks.
import { describe, expect, it } from 'vitest';
import { bucket, causalBias, leftPad, MASKED, sequenceBatch } from '../../src/model/batch.js';

const M = MASKED;

describe('leftPad', () => {
  it('pads on the left; positions count real tokens only', () => {
    const p = leftPad([[5, 6], [7, 8, 9], []], 4);
    expect(p.batch).toBe(3);
    expect(p.len).toBe(4);
    expect(Array.from(p.tokens)).toEqual([0, 0, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0]);
    expect(Array.from(p.positions)).toEqual([0, 0, 0, 1, 0, 0, 1, 2, 0, 0, 0, 0]);
    expect(Array.from(p.valid)).toEqual([0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('uses the given pad id', () => {
    expect(Array.from(leftPad([[4]], 3, 9).tokens)).toEqual([9, 9, 4]);
  });

  it('rejects a sequence longer than the batch', () => {
    expect(() => leftPad([[1], [1, 2, 3]], 2)).toThrow(/sequence 1 has 3 tokens; the batch holds 2/);
  });
});

describe('causalBias', () => {
  it('masks padding keys and future keys', () => {
    const p = leftPad(
      [
        [1, 2],
        [3, 4, 5],
      ],
      3,
    );
    // Row 0: valid [0, 1, 1]. Row 1: all valid.
    expect(Array.from(causalBias(p))).toEqual([
      ...[M, M, M],
      ...[M, 0, M],
      ...[M, 0, 0],
      ...[0, M, M],
      ...[0, 0, M],
      ...[0, 0, 0],
    ]);
  });
});

describe('bucket', () => {
  it('rounds up to the step and caps at max', () => {
    expect(bucket(1, 32)).toBe(8);
    expect(bucket(8, 32)).toBe(8);
    expect(bucket(9, 32)).toBe(16);
    expect(bucket(30, 32)).toBe(32);
    expect(bucket(31, 28)).toBe(28);
    expect(bucket(5, 32, 4)).toBe(8);
    expect(bucket(4, 32, 4)).toBe(4);
  });
});

describe('sequenceBatch', () => {
  const b = sequenceBatch(
    [
      { tokens: [1, 2, 3, 4, 5], promptLen: 2 }, // completion 3 4 5
      { tokens: [6, 7, 8], promptLen: 1, skip: 1 }, // completion 7 8, first skipped
      { tokens: [9, 10, 11, 12], promptLen: 1, skip: 3 }, // completion fully skipped
    ],
    5,
  );

  it('left-pads the inputs (all tokens but the last)', () => {
    expect(Array.from(b.tokens)).toEqual([0, 1, 2, 3, 4, 0, 0, 0, 6, 7, 0, 0, 9, 10, 11]);
    expect(Array.from(b.positions)).toEqual([0, 0, 1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 1, 2]);
    expect(Array.from(b.valid)).toEqual([0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1]);
  });

  it('shifts targets by one (pad where none)', () => {
    expect(Array.from(b.targets)).toEqual([0, 2, 3, 4, 5, 0, 0, 0, 7, 8, 0, 0, 10, 11, 12]);
  });

  it('masks the loss to completion targets less the first `skip`', () => {
    expect(Array.from(b.lossMask)).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('carries the causal bias of its padded inputs', () => {
    expect(b.bias).toEqual(causalBias(b));
    expect(b.bias.length).toBe(3 * 5 * 5);
  });

  it('rejects a sequence too long for the batch', () => {
    expect(() => sequenceBatch([{ tokens: [1, 2, 3, 4, 5, 6, 7], promptLen: 1 }], 5)).toThrow(/7|6 tokens/);
  });
});
