// Picking the next token from logits on the host: temperature, top-k, top-p (nucleus), greedy;
// seeded, so the same seed and logits give the same tokens.
import type { Rng } from '../util/rng.js';

export interface SamplingOptions {
  temperature: number; // 1 = the policy's own distribution; 0 = greedy (argmax)
  topK: number; // keep the k most likely tokens; 0 = all
  topP: number; // keep the smallest set with probability mass ≥ p; 1 = all
}

export const SAMPLING_DEFAULTS: Readonly<SamplingOptions> = Object.freeze({
  temperature: 1,
  topK: 0,
  topP: 1,
});

/** log-softmax of a logits row (float64 on the host). */
export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(logits, (x) => x - lse);
}

/**
 * Chooses a token from one row of logits. Returns it with its log-probability under the
 * untempered policy (what GRPO's importance ratios need).
 */
export function sampleToken(
  logits: ArrayLike<number>,
  o: SamplingOptions,
  rng: Rng,
): { token: number; logp: number } {
  const logp = logSoftmax(logits);
  const order = [...logp.keys()].sort((a, b) => (logp[b] as number) - (logp[a] as number) || a - b);
  if (o.temperature <= 0) {
    const token = order[0] as number;
    return { token, logp: logp[token] as number };
  }
  let keep = o.topK > 0 ? order.slice(0, o.topK) : order;
  const scaled = logSoftmax(keep.map((i) => (logits[i] as number) / o.temperature));
  const probs = Array.from(scaled, Math.exp);
  if (o.topP < 1) {
    let mass = 0;
    let n = 0;
    while (n < probs.length && mass < o.topP) mass += probs[n++] as number;
    keep = keep.slice(0, n);
    probs.length = n;
  }
  const total = probs.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < keep.length; i++) {
    u -= probs[i] as number;
    if (u <= 0 || i === keep.length - 1) {
      const token = keep[i] as number;
      return { token, logp: logp[token] as number };
    }
  }
  throw new Error('unreachable');
}
