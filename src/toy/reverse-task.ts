// The engine's proof task: reverse a short digit string, e.g. BOS 3 1 4 SEP 4 1 3 EOS.
import type { Rng } from '../util/rng.js';

export const TOY_VOCAB = Object.freeze({ digits: 10, BOS: 10, SEP: 11, EOS: 12, size: 13 });

export interface ToyBatch {
  tokens: Int32Array; // [B, T] inputs
  targets: Int32Array; // [B, T] next tokens
  mask: Float32Array; // [B, T] 1 where the target is part of the answer
}

/** Sequence length T for strings of `len` digits (inputs drop the last token). */
export const toySeqLen = (len: number): number => 2 * len + 2;

/** A batch of `batch` reversal examples, reproducible from `rng`. */
export function toyBatch(rng: Rng, batch: number, len: number): ToyBatch {
  const t = toySeqLen(len);
  const tokens = new Int32Array(batch * t);
  const targets = new Int32Array(batch * t);
  const mask = new Float32Array(batch * t);
  for (let b = 0; b < batch; b++) {
    const digits = Array.from({ length: len }, () => rng.int(TOY_VOCAB.digits));
    const seq = [TOY_VOCAB.BOS, ...digits, TOY_VOCAB.SEP, ...[...digits].reverse(), TOY_VOCAB.EOS];
    for (let i = 0; i < t; i++) {
      tokens[b * t + i] = seq[i] as number;
      targets[b * t + i] = seq[i + 1] as number;
      mask[b * t + i] = i >= len + 1 ? 1 : 0; // predict the reversed digits and EOS
    }
  }
  return { tokens, targets, mask };
}
