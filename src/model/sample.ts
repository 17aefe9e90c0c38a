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
  const out = new Float64Array(logits.length); // a plain loop: no iterator garbage per row and token
  for (let i = 0; i < logits.length; i++) out[i] = (logits[i] as number) - lse;
  return out;
}

// Scratch rows for drawDescending, grown to the vocabulary once instead of allocated per token
// (sampling runs a few thousand times a step; its garbage made the page's worker collect often).
let probsScratch = new Float64Array(0);
let takenScratch = new Uint8Array(0);

/** The most likely token (ties to the lower index). */
function argmax(logp: Float64Array): number {
  let best = 0;
  for (let i = 1; i < logp.length; i++) if ((logp[i] as number) > (logp[best] as number)) best = i;
  return best;
}

/**
 * The common case (temperature 1, no top-k/top-p): the same draw as the general path — one
 * uniform, walked down the tokens from most to least likely — without sorting the row: the
 * next most likely token is found only while the walk continues (mostly one or two tokens).
 */
function drawDescending(logp: Float64Array, rng: Rng): number {
  const n = logp.length;
  if (probsScratch.length < n) [probsScratch, takenScratch] = [new Float64Array(n), new Uint8Array(n)];
  const [probs, taken] = [probsScratch, takenScratch.fill(0, 0, n)];
  let total = 0;
  for (let i = 0; i < n; i++) total += probs[i] = Math.exp(logp[i] as number);
  let u = rng.next() * total;
  for (let k = 0; k < n; k++) {
    let best = -1; // the most likely token not yet walked past (ties to the lower index)
    for (let i = 0; i < n; i++) {
      if (!taken[i] && (best < 0 || (logp[i] as number) > (logp[best] as number))) best = i;
    }
    taken[best] = 1;
    u -= probs[best] as number;
    if (u <= 0 || k === n - 1) return best;
  }
  throw new Error('unreachable');
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
  const pick = (token: number) => ({ token, logp: logp[token] as number });
  if (o.temperature <= 0) return pick(argmax(logp));
  if (o.temperature === 1 && o.topK <= 0 && o.topP >= 1) return pick(drawDescending(logp, rng));
  const order = [...logp.keys()].sort((a, b) => (logp[b] as number) - (logp[a] as number) || a - b);
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
    if (u <= 0 || i === keep.length - 1) return pick(keep[i] as number);
  }
  throw new Error('unreachable');
}
