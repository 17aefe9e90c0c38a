// Checkpoints: config.json (model config, tokenizer, provenance, metrics) + model.safetensors (weights), or
// both in one safetensors bundle. Browser-safe: no Node imports here (the Node folder helpers are node-fs.ts).
// Format documented in docs/checkpoints.md.
import type { HostTensor } from '../engine/dtype.js';
import { CheckpointError, decodeSafetensors, encodeSafetensors } from './safetensors.js';

export { CheckpointError } from './safetensors.js';

export const CHECKPOINT_FORMAT = 'gcrl-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';
/** `__metadata__` keys written into model.safetensors and into bundles. */
export const META_FORMAT = 'gcrl.format';
export const META_VERSION = 'gcrl.version';
export const META_CONFIG = 'gcrl.config';

export interface Provenance {
  seed: number;
  steps: number;
  data: Record<string, unknown>;
  /** ISO 8601 timestamp. */
  createdAt: string;
  command?: string;
  /** What this checkpoint was trained from (a path, URL or name). */
  parent?: string;
}

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** Model config; its contents are validated by the caller. */
  model: Record<string, unknown>;
  tokenizer: { vocab: string[] };
  provenance: Provenance;
  metrics?: Record<string, number>;
  weights: Map<string, HostTensor>;
}

/** What the loader checks the checkpoint against, when given. */
export interface CheckpointExpect {
  /** Exact set of tensor names and their shapes. */
  paramShapes?: Readonly<Record<string, readonly number[]>>;
  /** The tokenizer vocabulary the model will be used with. */
  vocab?: readonly string[];
}

const TOP_KEYS = ['format', 'version', 'model', 'tokenizer', 'provenance', 'metrics'];
const PROVENANCE_KEYS = ['seed', 'steps', 'data', 'createdAt', 'command', 'parent'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const fmtShape = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Collects every problem with a config object (empty when valid). */
function configProblems(c: unknown): string[] {
  const p: string[] = [];
  if (!isPlainObject(c)) return ['config is not a JSON object'];
  if (c.format !== CHECKPOINT_FORMAT) {
    p.push(`format is ${JSON.stringify(c.format)}, expected "${CHECKPOINT_FORMAT}"`);
    return p; // not ours: further complaints would be noise
  }
  if (c.version !== CHECKPOINT_VERSION) {
    p.push(
      `unsupported version ${JSON.stringify(c.version)} (this build reads version ${CHECKPOINT_VERSION})`,
    );
    return p;
  }
  for (const k of Object.keys(c)) if (!TOP_KEYS.includes(k)) p.push(`unknown field "${k}"`);
  if (!isPlainObject(c.model)) p.push('model must be an object');
  if (!isPlainObject(c.tokenizer)) p.push('tokenizer must be an object with a vocab array');
  else {
    const v = c.tokenizer.vocab;
    if (!Array.isArray(v)) p.push('tokenizer.vocab must be an array of strings');
    else {
      const bad = v.findIndex((t) => typeof t !== 'string');
      if (bad >= 0) p.push(`tokenizer.vocab[${bad}] is ${JSON.stringify(v[bad])}, not a string`);
      else {
        const seen = new Set<string>();
        for (const t of v as string[]) {
          if (seen.has(t)) p.push(`tokenizer.vocab has duplicate token ${JSON.stringify(t)}`);
          seen.add(t);
        }
      }
    }
  }
  const pv = c.provenance;
  if (pv === undefined) p.push('provenance is missing');
  else if (!isPlainObject(pv)) p.push('provenance must be an object');
  else {
    for (const k of Object.keys(pv))
      if (!PROVENANCE_KEYS.includes(k)) p.push(`unknown field "provenance.${k}"`);
    if (!Number.isSafeInteger(pv.seed))
      p.push(`provenance.seed must be an integer (got ${JSON.stringify(pv.seed)})`);
    if (!Number.isSafeInteger(pv.steps) || (pv.steps as number) < 0) {
      p.push(`provenance.steps must be an integer ≥ 0 (got ${JSON.stringify(pv.steps)})`);
    }
    if (!isPlainObject(pv.data)) p.push('provenance.data must be an object');
    if (typeof pv.createdAt !== 'string' || Number.isNaN(Date.parse(pv.createdAt))) {
      p.push(`provenance.createdAt must be an ISO 8601 date string (got ${JSON.stringify(pv.createdAt)})`);
    }
    for (const k of ['command', 'parent'] as const) {
      if (pv[k] !== undefined && typeof pv[k] !== 'string') p.push(`provenance.${k} must be a string`);
    }
  }
  if (c.metrics !== undefined) {
    if (!isPlainObject(c.metrics)) p.push('metrics must be an object of numbers');
    else {
      for (const [k, v] of Object.entries(c.metrics)) {
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          p.push(`metrics.${k} must be a finite number (got ${JSON.stringify(v)})`);
        }
      }
    }
  }
  return p;
}

function assertConfig(c: unknown, what: string): void {
  const problems = configProblems(c);
  if (problems.length > 0) throw new CheckpointError(`invalid ${what}: ${problems.join('; ')}`);
}

/** The config.json object (everything but the weights), in a stable key order. */
function configObject(ck: Checkpoint): Record<string, unknown> {
  const { format, version, model, tokenizer, provenance, metrics } = ck;
  // A JSON round trip drops undefined fields and shows exactly what will be written (NaN becomes null).
  const out = JSON.parse(
    JSON.stringify({
      format,
      version,
      model,
      tokenizer: tokenizer && { vocab: tokenizer.vocab },
      provenance,
      metrics,
    }),
  ) as Record<string, unknown>;
  assertConfig(out, 'checkpoint');
  return out;
}

function checkWeights(weights: ReadonlyMap<string, HostTensor>, expect: CheckpointExpect | undefined): void {
  if (expect?.paramShapes === undefined) return;
  const want = expect.paramShapes;
  const missing: string[] = [];
  const unexpected: string[] = [];
  const mismatched: string[] = [];
  for (const [name, shape] of Object.entries(want)) {
    const t = weights.get(name);
    if (t === undefined) missing.push(`${name} ${fmtShape(shape)}`);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      mismatched.push(`${name} is ${fmtShape(t.shape)}, expected ${fmtShape(shape)}`);
    }
  }
  for (const [name, t] of weights) {
    if (!Object.hasOwn(want, name)) unexpected.push(`${name} ${fmtShape(t.shape)}`);
  }
  const parts: string[] = [];
  if (missing.length) parts.push(`missing tensors: ${missing.join(', ')}`);
  if (unexpected.length) parts.push(`unexpected tensors: ${unexpected.join(', ')}`);
  if (mismatched.length) parts.push(`shape mismatches: ${mismatched.join(', ')}`);
  if (parts.length) throw new CheckpointError(`weights do not match the model: ${parts.join('; ')}`);
}

function checkVocab(vocab: readonly string[], expect: CheckpointExpect | undefined): void {
  const want = expect?.vocab;
  if (want === undefined) return;
  const n = Math.min(vocab.length, want.length);
  let i = 0;
  while (i < n && vocab[i] === want[i]) i++;
  if (i === n && vocab.length === want.length) return;
  const diff =
    i < n
      ? `first difference at index ${i}: checkpoint has ${JSON.stringify(vocab[i])}, expected ${JSON.stringify(want[i])}`
      : `the first ${n} tokens agree`;
  throw new CheckpointError(
    `tokenizer mismatch: checkpoint vocab has ${vocab.length} tokens, expected ${want.length}; ${diff}`,
  );
}

function parseConfigText(configJson: string, what: string): Record<string, unknown> {
  let c: unknown;
  try {
    c = JSON.parse(configJson);
  } catch (e) {
    throw new CheckpointError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  assertConfig(c, what);
  return c as Record<string, unknown>;
}

function checkWeightsMetadata(metadata: Record<string, string>, what: string): void {
  // Weights written by other tools carry no gcrl metadata and are accepted; ours must say what they are.
  const f = metadata[META_FORMAT];
  if (f !== undefined && f !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(`${what}: __metadata__ "${META_FORMAT}" is ${JSON.stringify(f)}`);
  }
  const v = metadata[META_VERSION];
  if (v !== undefined && v !== String(CHECKPOINT_VERSION)) {
    throw new CheckpointError(
      `${what}: unsupported checkpoint version ${JSON.stringify(v)} (this build reads version ${CHECKPOINT_VERSION})`,
    );
  }
}

function assemble(
  c: Record<string, unknown>,
  weights: Map<string, HostTensor>,
  expect: CheckpointExpect | undefined,
): Checkpoint {
  const ck = { ...c, weights } as unknown as Checkpoint;
  checkVocab(ck.tokenizer.vocab, expect);
  checkWeights(weights, expect);
  return ck;
}

function decodeWeights(bytes: Uint8Array, what: string): ReturnType<typeof decodeSafetensors> {
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

const gcrlMetadata = (): Record<string, string> => ({
  [META_FORMAT]: CHECKPOINT_FORMAT,
  [META_VERSION]: String(CHECKPOINT_VERSION),
});

/** config.json text (pretty-printed, trailing newline) and model.safetensors bytes. Validates first. */
export function serializeCheckpoint(ck: Checkpoint): { configJson: string; weights: Uint8Array } {
  const configJson = `${JSON.stringify(configObject(ck), null, 2)}\n`;
  return { configJson, weights: encodeSafetensors(ck.weights, gcrlMetadata()) };
}

/** Parses and validates config.json text + model.safetensors bytes (optionally against `expect`). */
export function parseCheckpoint(
  configJson: string,
  weights: Uint8Array,
  expect?: CheckpointExpect,
): Checkpoint {
  const c = parseConfigText(configJson, CONFIG_FILE);
  const { tensors, metadata } = decodeWeights(weights, WEIGHTS_FILE);
  checkWeightsMetadata(metadata, WEIGHTS_FILE);
  return assemble(c, tensors, expect);
}

/** One-file bundle (browser download/upload, IndexedDB): safetensors with the config in `__metadata__`. */
export function packCheckpoint(ck: Checkpoint): Uint8Array {
  const configJson = JSON.stringify(configObject(ck));
  return encodeSafetensors(ck.weights, { ...gcrlMetadata(), [META_CONFIG]: configJson });
}

/** Reads a bundle written by packCheckpoint. */
export function unpackCheckpoint(bytes: Uint8Array, expect?: CheckpointExpect): Checkpoint {
  const { tensors, metadata } = decodeWeights(bytes, 'checkpoint bundle');
  const configJson = metadata[META_CONFIG];
  if (configJson === undefined) {
    throw new CheckpointError(
      `not a checkpoint bundle: the safetensors __metadata__ has no "${META_CONFIG}" entry ` +
        `(a plain ${WEIGHTS_FILE} needs its ${CONFIG_FILE}: use parseCheckpoint)`,
    );
  }
  checkWeightsMetadata(metadata, 'checkpoint bundle');
  return assemble(parseConfigText(configJson, `checkpoint bundle's "${META_CONFIG}"`), tensors, expect);
}

/** Reads a checkpoint from two browser Blobs/Files (config.json and model.safetensors). */
export async function checkpointFromBlobs(
  config: Blob,
  weights: Blob,
  expect?: CheckpointExpect,
): Promise<Checkpoint> {
  const [text, bytes] = await Promise.all([config.text(), weights.arrayBuffer()]);
  return parseCheckpoint(text, new Uint8Array(bytes), expect);
}

/** Fetches `${baseUrl}/config.json` and `${baseUrl}/model.safetensors` and parses them. */
export async function fetchCheckpoint(
  baseUrl: string,
  expect?: CheckpointExpect,
  opts: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<Checkpoint> {
  const f = opts.fetch ?? globalThis.fetch;
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (file: string): Promise<Response> => {
    const url = `${base}/${file}`;
    let res: Response;
    try {
      res = await f(url, { signal: opts.signal });
    } catch (e) {
      throw new CheckpointError(`failed to fetch ${url}: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok) {
      throw new CheckpointError(
        `failed to fetch ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
      );
    }
    return res;
  };
  const [cRes, wRes] = await Promise.all([get(CONFIG_FILE), get(WEIGHTS_FILE)]);
  const [text, bytes] = await Promise.all([cRes.text(), wRes.arrayBuffer()]);
  try {
    return parseCheckpoint(text, new Uint8Array(bytes), expect);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`${base}: ${e.message}`, { cause: e });
    throw e;
  }
}
