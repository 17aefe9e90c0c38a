// The one check of a checkpoint against this build's policy, used by the CLI, the trainer, the
// workers and the page's import: model dimensions within bounds (before any tensor list is built),
// vocabulary and tokenizer equal to the project's, every tensor present with its shape and dtype,
// nothing extra, no NaN/Inf — every problem listed, each naming its tensor.
import type { HostTensor } from '../engine/dtype.js';
import { tokenText, VOCAB } from '../lm/tokenizer.js';
import { type GptConfig, gptConfigErrors, gptParamSpecs } from '../model/gpt.js';
import { type Checkpoint, CheckpointError, unpackCheckpoint } from './checkpoint.js';
import { SAFETENSORS_DTYPE } from './safetensors.js';

const MODEL_KEYS = ['vocab', 'ctx', 'nLayer', 'dModel', 'nHead', 'dMlp'] as const;

/** The project's tokenizer vocabulary, by id. */
export const projectVocab = (): string[] => Array.from({ length: VOCAB.size }, (_, i) => tokenText(i));

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;
const tag = (t: HostTensor): string => SAFETENSORS_DTYPE[t.dtype]?.tag ?? String(t.dtype);

/** Problems with the stored model config; the config when there are none. */
function modelErrors(model: unknown): [GptConfig | null, string[]] {
  if (typeof model !== 'object' || model === null || Array.isArray(model))
    return [null, ['model config must be an object']];
  const m = model as Record<string, unknown>;
  const errs = Object.keys(m)
    .filter((k) => !(MODEL_KEYS as readonly string[]).includes(k))
    .map((k) => `model config has an unknown field "${k}"`);
  const c = Object.fromEntries(MODEL_KEYS.map((k) => [k, Object.hasOwn(m, k) ? m[k] : undefined]));
  errs.push(...gptConfigErrors(c as unknown as GptConfig).map((e) => `model config: ${e}`));
  if (errs.length) return [null, errs];
  const cfg = c as unknown as GptConfig;
  if (cfg.vocab !== VOCAB.size)
    return [null, [`model vocab size ${cfg.vocab} differs from the tokenizer's ${VOCAB.size}`]];
  return [cfg, []];
}

function vocabErrors(vocab: unknown): string[] {
  const want = projectVocab();
  if (!Array.isArray(vocab)) return ['tokenizer.vocab must be an array of strings'];
  const n = Math.min(vocab.length, want.length);
  let i = 0;
  while (i < n && vocab[i] === want[i]) i++;
  if (i === n && vocab.length === want.length) return [];
  const diff =
    i < n
      ? `first difference at id ${i}: checkpoint has ${JSON.stringify(vocab[i])}, this tokenizer ${JSON.stringify(want[i])}`
      : `the first ${n} tokens agree`;
  return [
    `tokenizer differs from the project's: checkpoint vocab has ${vocab.length} tokens, expected ${want.length}; ${diff}`,
  ];
}

/** Index and kind of the first non-finite value and how many there are (null when all are finite). */
function nonFinite(t: HostTensor): string | null {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return null;
  const d = t.data as Float32Array | Float64Array;
  let count = 0;
  let first = -1;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (!count) return null;
  const v = d[first] as number;
  return `${count} non-finite value${count > 1 ? 's' : ''} (first: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'} at index ${first})`;
}

function weightErrors(c: GptConfig, weights: ReadonlyMap<string, HostTensor>): string[] {
  const specs = gptParamSpecs(c);
  const want = new Map(specs.map((s) => [s.name, s.shape]));
  const errs: string[] = [];
  for (const s of specs) {
    const t = weights.get(s.name);
    if (!t) {
      errs.push(`tensor ${s.name} ${fmt(s.shape)} is missing`);
      continue;
    }
    const same = t.shape.length === s.shape.length && t.shape.every((d, i) => d === s.shape[i]);
    if (!same) {
      const transposed =
        t.shape.length === 2 &&
        s.shape.length === 2 &&
        t.shape[0] === s.shape[1] &&
        t.shape[1] === s.shape[0];
      errs.push(
        `tensor ${s.name} has shape ${fmt(t.shape)}, the model needs ${fmt(s.shape)}${transposed ? ' (transposed)' : ''}`,
      );
    }
    if (t.dtype !== 'float32') errs.push(`tensor ${s.name} is ${tag(t)}, the model needs F32`);
    const bad = nonFinite(t);
    if (bad) errs.push(`tensor ${s.name} has ${bad}`);
  }
  for (const [name, t] of weights) {
    if (!want.has(name)) errs.push(`unexpected tensor ${JSON.stringify(name)} ${fmt(t.shape)} ${tag(t)}`);
  }
  return errs;
}

/** Every problem with a checkpoint as a policy of this build (empty when it loads). */
export function modelCheckpointErrors(ck: Pick<Checkpoint, 'model' | 'tokenizer' | 'weights'>): string[] {
  const [c, errs] = modelErrors(ck.model);
  errs.push(...vocabErrors(ck.tokenizer?.vocab));
  if (c) errs.push(...weightErrors(c, ck.weights));
  return errs;
}

/** The checkpoint's model config once every check passes; otherwise a CheckpointError listing every problem. */
export function checkModelCheckpoint(ck: Pick<Checkpoint, 'model' | 'tokenizer' | 'weights'>): GptConfig {
  const errs = modelCheckpointErrors(ck);
  if (errs.length) {
    const more = errs.length > 12 ? `; … and ${errs.length - 12} more` : '';
    throw new CheckpointError(`checkpoint does not fit this model: ${errs.slice(0, 12).join('; ')}${more}`);
  }
  const [c] = modelErrors(ck.model);
  return c as GptConfig;
}

/** A checkpoint bundle (the page's import, IndexedDB) read and checked against the model; throws listing every problem. */
export function unpackModelCheckpoint(bytes: Uint8Array): Checkpoint {
  const ck = unpackCheckpoint(bytes); // format, header, config fields
  checkModelCheckpoint(ck);
  return ck;
}
