// A training config ↔ the URL hash (only the settings that differ from the defaults), validated without ever throwing.
import { configErrors, configFromJson, TRAIN_DEFAULTS, type TrainConfig } from '../../src/rl/config.js';
import {
  BASE_OPTIONS,
  FIELDS,
  type FieldOption,
  type FieldSpec,
  fieldByUrl,
  formatFieldValue,
  getPath,
  parseFieldValue,
  setPath,
} from './fields.js';

/** Hash keys the page owns itself (which run, which view, which experiment): passed through untouched. */
export const HASH_EXTRAS = ['run', 'view', 'exp'] as const;
export type HashExtra = (typeof HASH_EXTRAS)[number];

export interface DecodeOptions {
  /** Allowed base checkpoints (default: BASE_OPTIONS); the defaults' own base is always allowed. */
  baseOptions?: readonly FieldOption[];
}

export interface Decoded {
  config: TrainConfig;
  errors: string[];
}

/** Keeps the string readable: '/' and ':' are safe in a fragment. */
const enc = (s: string): string => encodeURIComponent(s).replace(/%2F/gi, '/').replace(/%3A/gi, ':');

const optionsFor = (
  f: FieldSpec,
  defaults: TrainConfig,
  o: DecodeOptions,
): readonly FieldOption[] | undefined => {
  if (f.path !== 'base') return f.options;
  const list = o.baseOptions ?? BASE_OPTIONS;
  return list.some((x) => x.value === defaults.base) ? list : [...list, { value: defaults.base, label: '' }];
};

/** `mode=grl&input=random&lr=0.0001`: the fields that differ from `defaults`, in table order ('' for the defaults). */
export function encodeConfig(cfg: TrainConfig, defaults: TrainConfig = TRAIN_DEFAULTS): string {
  const parts: string[] = [];
  for (const f of FIELDS) {
    const v = getPath(cfg, f.path);
    if (v === undefined || v === getPath(defaults, f.path)) continue;
    parts.push(`${f.url}=${enc(formatFieldValue(v))}`);
  }
  return parts.join('&');
}

/** The config part followed by the extras (in HASH_EXTRAS order); no leading '#'. */
export function encodeHash(
  cfg: TrainConfig,
  extras: Partial<Record<string, string>> = {},
  defaults: TrainConfig = TRAIN_DEFAULTS,
): string {
  const parts = [encodeConfig(cfg, defaults)];
  for (const k of HASH_EXTRAS) {
    const v = extras[k];
    if (v !== undefined) parts.push(`${k}=${enc(v)}`);
  }
  return parts.filter(Boolean).join('&');
}

const safeDecode = (s: string): string | null => {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
};
const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Reads a hash (leading '#' optional). Unknown keys, bad values and bad percent-encoding become
 * messages and keep the defaults; a result that fails `configErrors` is replaced by the defaults.
 * `extras`: the page's own keys (`run`, `view`, `exp`), decoded.
 */
export function decodeHash(
  hash: string,
  defaults: TrainConfig = TRAIN_DEFAULTS,
  opts: DecodeOptions = {},
): Decoded & { extras: Record<string, string> } {
  const errors: string[] = [];
  const extras: Record<string, string> = {};
  let config = structuredClone(defaults) as TrainConfig;
  const seen = new Set<string>();
  const body = typeof hash === 'string' ? hash.replace(/^#/, '') : '';
  for (const part of body.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const key = safeDecode(rawKey);
    const value = eq < 0 ? null : safeDecode(part.slice(eq + 1));
    if (key === null) {
      errors.push(`setting '${clip(rawKey)}' is not valid percent-encoding (ignored)`);
      continue;
    }
    if (value === null) {
      errors.push(
        eq < 0
          ? `setting '${clip(key)}' has no value (ignored; write key=value)`
          : `'${clip(key)}': "${clip(part.slice(eq + 1))}" is not valid percent-encoding (ignored)`,
      );
      continue;
    }
    if ((HASH_EXTRAS as readonly string[]).includes(key)) {
      extras[key] = value;
      continue;
    }
    const f = fieldByUrl(key);
    if (!f) {
      errors.push(`unknown setting '${clip(key)}' (ignored)`);
      continue;
    }
    if (seen.has(key)) errors.push(`setting '${key}' appears more than once (the last one is used)`);
    seen.add(key);
    const p = parseFieldValue(f, value, optionsFor(f, defaults, opts));
    if (p.ok) config = setPath(config, f.path, p.value);
    else {
      errors.push(`${p.error}; keeping the default ${formatFieldValue(getPath(defaults, f.path))}`);
      config = setPath(config, f.path, getPath(defaults, f.path));
    }
  }
  const cross = configErrors(config);
  if (cross.length) {
    config = structuredClone(defaults) as TrainConfig;
    for (const e of cross) errors.push(`the link's settings are inconsistent: ${e}`);
  }
  return { config, errors, extras };
}

/** `decodeHash` without the extras (the page's own keys are not reported as unknown). */
export function decodeConfig(
  hash: string,
  defaults: TrainConfig = TRAIN_DEFAULTS,
  opts: DecodeOptions = {},
): Decoded {
  const { config, errors } = decodeHash(hash, defaults, opts);
  return { config, errors };
}

/**
 * A config JSON file's text (as the page's "Config JSON" button writes it, or any part of it) laid
 * over `defaults` with the schema's strict types — `true` is not 1, `[7]` is not 7, `null` is no
 * config — and the base checked against the page's list. With errors, `config` is the defaults.
 */
export function decodeConfigJson(
  text: string,
  defaults: TrainConfig = TRAIN_DEFAULTS,
  opts: DecodeOptions = {},
): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      config: structuredClone(defaults) as TrainConfig,
      errors: [`not JSON: ${(e as Error).message}`],
    };
  }
  const [config, errors] = configFromJson(json, defaults);
  const base = FIELDS.find((f) => f.path === 'base') as FieldSpec;
  if (!errors.length) {
    const p = parseFieldValue(base, config.base, optionsFor(base, defaults, opts));
    if (!p.ok) errors.push(p.error);
  }
  return errors.length ? { config: structuredClone(defaults) as TrainConfig, errors } : { config, errors };
}
