// The small YAML subset the recipe writes and checks: block mappings, scalar lists, comments; no parser dependency.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [k: string]: YamlValue };
/** A mapping whose entries may carry a comment, written on the line above the key. */
export type YamlMap = { [k: string]: YamlValue };
export type Comments = Record<string, string>; // dotted key path → comment

const PLAIN = /^[A-Za-z_./${}:][A-Za-z0-9_./${}:@+-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A scalar as YAML: numbers and booleans bare, strings quoted unless plainly safe (and never 'n', 'no', …). */
export function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`yaml: non-finite number ${v}`);
    // YAML 1.1 (PyYAML, OmegaConf) reads '1e-7' as a string: exponents get a mantissa with a dot.
    const s = String(v);
    return s.includes('e') ? s.replace(/^(-?\d+)e/, '$1.0e') : s;
  }
  if (PLAIN.test(v) && !RESERVED.test(v) && !/^[\d.+-]/.test(v) && !v.includes(': ')) return v;
  return JSON.stringify(v);
}

const keyText = (k: string): string =>
  PLAIN.test(k) && !RESERVED.test(k) ? k : `'${k.replace(/'/g, "''")}'`;

/** Block YAML for a nested mapping; `comments` keyed by dotted path are written above their keys. */
export function toYaml(obj: YamlMap, comments: Comments = {}, indent = 0, path = ''): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    const p = path ? `${path}.${k}` : k;
    const c = comments[p];
    if (c)
      out += c
        .split('\n')
        .map((line) => `${pad}# ${line}\n`)
        .join('');
    if (Array.isArray(v)) {
      if (!v.length) out += `${pad}${keyText(k)}: []\n`;
      else {
        out += `${pad}${keyText(k)}:\n`;
        for (const item of v) {
          if (typeof item === 'object' && item !== null) throw new Error(`yaml: nested list item at ${p}`);
          out += `${pad}  - ${scalar(item)}\n`;
        }
      }
    } else if (typeof v === 'object' && v !== null) {
      out += Object.keys(v).length
        ? `${pad}${keyText(k)}:\n${toYaml(v, comments, indent + 2, p)}`
        : `${pad}${keyText(k)}: {}\n`;
    } else out += `${pad}${keyText(k)}: ${scalar(v)}\n`;
  }
  return out;
}

/**
 * Every dotted key path of a block-YAML document (mappings only; list items and flow values are
 * leaves), e.g. `actor_rollout_ref.actor.optim.lr`. Enough for verl's generated config and ours;
 * throws on tabs or an indentation it cannot place.
 */
export function yamlKeyPaths(text: string): string[] {
  const paths: string[] = [];
  const stack: { indent: number; key: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.includes('\t')) throw new Error(`yaml line ${i + 1}: tab in indentation`);
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trim().startsWith('#') || line.trim().startsWith('- ') || line.trim() === '-')
      return;
    const m = /^( *)('[^']*'|"[^"]*"|[^:'"]+):(\s|$)/.exec(line);
    if (!m) {
      if (stack.length && raw.startsWith(' ')) return; // continuation of a wrapped scalar
      throw new Error(`yaml line ${i + 1}: cannot read '${raw}'`);
    }
    const indent = (m[1] as string).length;
    const key = (m[2] as string).replace(/^['"]|['"]$/g, '');
    while (stack.length && (stack.at(-1) as { indent: number }).indent >= indent) stack.pop();
    stack.push({ indent, key });
    paths.push(stack.map((s) => s.key).join('.'));
  });
  return paths;
}

/** Key paths of a nested object (leaves only: scalars, lists and empty maps). */
export function objectLeafPaths(obj: YamlMap, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length
      ? objectLeafPaths(v, p)
      : [p];
  });
}
