// Host-side batch assembly for the GPT graphs: left padding, positions that count real tokens
// only, and additive attention masks in which padding is never attended.

export const MASKED = -1e9;

export interface PaddedBatch {
  batch: number; // B
  len: number; // T
  tokens: Int32Array; // [B, T], pad id on the left
  positions: Int32Array; // [B, T], 0.. over real tokens (0 on padding)
  valid: Uint8Array; // [B, T], 1 on real tokens
}

/** Left-pads each sequence to `len` tokens. */
export function leftPad(seqs: readonly ArrayLike<number>[], len: number, pad = 0): PaddedBatch {
  const b = seqs.length;
  const tokens = new Int32Array(b * len).fill(pad);
  const positions = new Int32Array(b * len);
  const valid = new Uint8Array(b * len);
  seqs.forEach((s, r) => {
    if (s.length > len) throw new Error(`sequence ${r} has ${s.length} tokens; the batch holds ${len}`);
    const off = len - s.length;
    for (let i = 0; i < s.length; i++) {
      tokens[r * len + off + i] = s[i] as number;
      positions[r * len + off + i] = i;
      valid[r * len + off + i] = 1;
    }
  });
  return { batch: b, len, tokens, positions, valid };
}

/** Additive bias [B, T, T]: query i sees key j iff j ≤ i and j is a real token. */
export function causalBias(p: PaddedBatch): Float32Array {
  const { batch: b, len: t, valid } = p;
  const bias = new Float32Array(b * t * t);
  for (let r = 0; r < b; r++) {
    for (let i = 0; i < t; i++) {
      for (let j = 0; j < t; j++) bias[(r * t + i) * t + j] = j <= i && valid[r * t + j] ? 0 : MASKED;
    }
  }
  return bias;
}

/** Rounds a length up to a multiple of `step` (fewer distinct shapes -> fewer sessions), capped at `max`. */
export const bucket = (n: number, max: number, step = 8): number =>
  Math.min(max, Math.max(step, Math.ceil(n / step) * step));

export interface SequenceBatch extends PaddedBatch {
  targets: Int32Array; // [B, T] next token at each input position (pad where none)
  lossMask: Float32Array; // [B, T] 1 where the target is a completion token
  bias: Float32Array; // [B, T, T]
}

/**
 * Teacher-forcing batch for prompt+completion sequences: inputs are seq[0..n-2], targets
 * seq[1..n-1], and the loss (or log-prob) mask covers targets from the completion only, less its
 * first `skip` tokens.
 */
export function sequenceBatch(
  seqs: readonly { tokens: ArrayLike<number>; promptLen: number; skip?: number }[],
  len: number,
): SequenceBatch {
  const inputs = seqs.map((s) => Array.from(s.tokens).slice(0, -1));
  const p = leftPad(inputs, len);
  const targets = new Int32Array(p.batch * len);
  const lossMask = new Float32Array(p.batch * len);
  seqs.forEach((s, r) => {
    const n = s.tokens.length - 1;
    const off = len - n;
    for (let i = 0; i < n; i++) {
      targets[r * len + off + i] = s.tokens[i + 1] as number;
      lossMask[r * len + off + i] = i + 1 >= s.promptLen + (s.skip ?? 0) ? 1 : 0;
    }
  });
  return { ...p, targets, lossMask, bias: causalBias(p) };
}

/**
 * A teacher-forcing batch padded to the smallest length bucket that holds its longest sequence,
 * or a clear error when a sequence does not fit the model's context of `ctx` tokens.
 */
export function contextBatch(
  seqs: readonly { tokens: ArrayLike<number>; promptLen: number; skip?: number }[],
  ctx: number,
): SequenceBatch {
  const longest = seqs.reduce((m, s) => Math.max(m, s.tokens.length - 1), Number.NEGATIVE_INFINITY); // no spread
  if (longest > ctx) throw new Error(`a sequence of ${longest + 1} tokens exceeds the context of ${ctx}`);
  return sequenceBatch(seqs, bucket(longest, ctx));
}

/** The feeds every full-sequence graph takes (tokens, positions, bias, targets) plus the loss mask. */
export function sequenceFeeds(sb: SequenceBatch) {
  const shape = [sb.batch, sb.len];
  return {
    tokens: { dtype: 'int32' as const, shape, data: sb.tokens },
    positions: { dtype: 'int32' as const, shape, data: sb.positions },
    bias: { dtype: 'float32' as const, shape: [sb.batch, sb.len, sb.len], data: sb.bias },
    targets: { dtype: 'int32' as const, shape, data: sb.targets },
    mask: { dtype: 'float32' as const, shape, data: sb.lossMask },
  };
}
