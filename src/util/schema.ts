// Settings schemas: every setting's kind and bounds stated once, values checked, parsed and merged
// with own-property lookups only (never walking the prototype), every problem listed at once.

export type Setting =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'text'; maxLength: number };

/** Dotted path ('grpo.lr') -> what it accepts. */
export type Schema = Readonly<Record<string, Setting>>;

export const int = (min: number, max: number): Setting => ({ kind: 'int', min, max });
export const num = (min: number, max: number): Setting => ({ kind: 'number', min, max });
export const oneOf = (values: readonly string[]): Setting => ({ kind: 'enum', values });
export const BOOL: Setting = { kind: 'bool' };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A registry entry by own property only (`constructor`, `__proto__` are not names); the error lists the valid ones. */
export function pick<T>(registry: Readonly<Record<string, T>>, name: string, what: string): T {
  if (typeof name === 'string' && Object.hasOwn(registry, name)) return registry[name] as T;
  throw new Error(`unknown ${what} ${show(name)} (valid: ${Object.keys(registry).join(', ')})`);
}

/** A value for messages: strings quoted and cut at 40 characters. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  } catch {
    return typeof v;
  }
}

/** What a setting accepts, in words. */
export function describe(s: Setting): string {
  switch (s.kind) {
    case 'int':
      return `an integer in [${s.min}, ${s.max}]`;
    case 'number':
      return `a number in [${s.min}, ${s.max}]`;
    case 'enum':
      return `one of ${s.values.join(', ')}`;
    case 'bool':
      return 'true or false';
    case 'text':
      return `a non-empty string of at most ${s.maxLength} characters`;
  }
}

/** The problem with one value (null when it is allowed). Types are strict: `true` is not 1. */
export function settingError(path: string, s: Setting, v: unknown): string | null {
  let ok: boolean;
  switch (s.kind) {
    case 'int':
    case 'number':
      ok =
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (s.kind === 'number' || Number.isInteger(v)) &&
        v >= s.min &&
        v <= s.max;
      break;
    case 'enum':
      ok = typeof v === 'string' && s.values.includes(v);
      break;
    case 'bool':
      ok = typeof v === 'boolean';
      break;
    case 'text':
      ok = typeof v === 'string' && v.length > 0 && v.length <= s.maxLength;
      break;
  }
  return ok ? null : `${path} must be ${describe(s)} (got ${show(v)})`;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses text (a `--set` value, a URL value) for a setting: `[value, null]` or `[undefined, error]`. */
export function parseSetting(path: string, s: Setting, raw: string): [unknown, string | null] {
  let v: unknown = raw;
  if (s.kind === 'int' || s.kind === 'number') {
    const t = raw.trim();
    v = NUMBER_RE.test(t) ? Number(t) : raw;
  } else if (s.kind === 'bool') {
    v = raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  }
  const e = settingError(path, s, v);
  return e ? [undefined, e] : [v, null];
}

/** The own value at a dotted path (undefined when any step is missing or inherited). */
export function getOwnPath(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split('.')) {
    if (!isObject(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/** Sets a dotted path in place, creating plain objects along the way (paths come from a schema). */
function setOwnPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    const next = Object.hasOwn(o, k) ? o[k] : undefined;
    if (!isObject(next)) Object.defineProperty(o, k, { value: {}, enumerable: true, writable: true });
    o = o[k] as Record<string, unknown>;
  }
  Object.defineProperty(o, keys.at(-1) as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const prefixesOf = (schema: Schema): Set<string> => {
  const out = new Set<string>();
  for (const p of Object.keys(schema)) {
    const parts = p.split('.');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('.'));
  }
  return out;
};

/** Keys present in `value` that the schema does not know, as dotted paths. */
function unknownKeys(schema: Schema, value: Record<string, unknown>, prefix = '', pre = prefixesOf(schema)) {
  const out: string[] = [];
  for (const k of Object.keys(value)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (Object.hasOwn(schema, p)) continue;
    const v = value[k];
    if (pre.has(p) && isObject(v)) out.push(...unknownKeys(schema, v, p, pre));
    else if (!pre.has(p)) out.push(p);
  }
  return out;
}

/** Every problem with a whole value: missing settings, wrong types, out-of-range values, unknown keys. */
export function schemaErrors(schema: Schema, value: unknown, what = 'config'): string[] {
  if (!isObject(value)) return [`${what} must be an object (got ${show(value)})`];
  const e: string[] = [];
  for (const [path, s] of Object.entries(schema)) {
    const v = getOwnPath(value, path);
    if (v === undefined) e.push(`${path} is missing (${describe(s)})`);
    else {
      const err = settingError(path, s, v);
      if (err) e.push(err);
    }
  }
  for (const p of unknownKeys(schema, value)) e.push(`unknown setting '${p}'`);
  return e;
}

/**
 * `base` with the settings of a partial object (parsed JSON) laid over it: every key must be a known
 * setting (or a group of them) and every value of the right type and range. Returns the merged copy
 * and every problem; with problems the copy is not to be used.
 */
export function mergeSettings<T>(schema: Schema, base: T, partial: unknown, what = 'config'): [T, string[]] {
  const out = structuredClone(base) as Record<string, unknown>;
  if (!isObject(partial)) return [out as T, [`${what} must be a JSON object (got ${show(partial)})`]];
  const e: string[] = [];
  for (const p of unknownKeys(schema, partial)) e.push(`unknown setting '${p}'`);
  for (const [path, s] of Object.entries(schema)) {
    const v = getOwnPath(partial, path);
    if (v === undefined) {
      const parent = path.split('.').slice(0, -1);
      for (let i = 1; i <= parent.length; i++) {
        const g = parent.slice(0, i).join('.');
        const gv = getOwnPath(partial, g);
        if (gv !== undefined && !isObject(gv)) {
          const msg = `${g} must be an object (got ${show(gv)})`;
          if (!e.includes(msg)) e.push(msg);
        }
      }
      continue;
    }
    const err = settingError(path, s, v);
    if (err) e.push(err);
    else setOwnPath(out, path, v);
  }
  return [out as T, e];
}

/** Applies `key=value` overrides (`--set grpo.lr=1e-4`) to a copy of `base`; every problem listed. */
export function applyOverrides<T>(schema: Schema, base: T, sets: readonly string[]): [T, string[]] {
  const out = structuredClone(base) as Record<string, unknown>;
  const e: string[] = [];
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq < 1) {
      e.push(`--set ${set}: expected key=value`);
      continue;
    }
    const path = set.slice(0, eq);
    const s = Object.hasOwn(schema, path) ? schema[path] : undefined;
    if (!s) {
      const near = Object.keys(schema).filter((k) => k.startsWith(`${path}.`));
      e.push(
        `--set ${set}: unknown setting '${path}'${near.length ? ` (set its parts: ${near.join(', ')})` : ''}`,
      );
      continue;
    }
    const [v, err] = parseSetting(path, s, set.slice(eq + 1));
    if (err) e.push(`--set ${set}: ${err}`);
    else setOwnPath(out, path, v);
  }
  return [out as T, e];
}

/** One line per setting: `path  what it accepts (default)` for help texts. */
export function schemaHelp(schema: Schema, defaults: unknown): string[] {
  const w = Math.max(0, ...Object.keys(schema).map((k) => k.length));
  return Object.entries(schema).map(
    ([p, s]) => `${p.padEnd(w)}  ${describe(s)} (default ${show(getOwnPath(defaults, p))})`,
  );
}
