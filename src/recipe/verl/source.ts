// Reads the playground config a recipe is made from: a `gcrl train --out` JSON-lines run (its step-0 line
// holds the config), a page run export ({ name, config, rows }), or a bare config JSON; every problem listed.
import { configFromJson, TRAIN_DEFAULTS, type TrainConfig } from '../../rl/config.js';

export interface ConfigSource {
  config: TrainConfig;
  source: string; // where it came from, for the recipe's README
  filled: string[]; // settings the file lacked, taken from the defaults (older runs)
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Settings of `defaults` that `given` lacks (an older run file), as dotted paths. */
function missingPaths(defaults: Obj, given: Obj, path = ''): string[] {
  return Object.entries(defaults).flatMap(([k, d]) => {
    const p = path ? `${path}.${k}` : k;
    if (!Object.hasOwn(given, k)) return [p];
    return isObj(d) && isObj(given[k]) ? missingPaths(d, given[k] as Obj, p) : [];
  });
}

/**
 * A config object → a checked TrainConfig, laid over the defaults as the page imports one
 * (configFromJson: unknown settings and wrong types are errors, so nothing is dropped silently);
 * throws with every problem.
 */
export function checkedConfig(raw: unknown, source: string): ConfigSource {
  if (!isObj(raw)) throw new Error(`${source}: the config is not a JSON object`);
  const [config, errors] = configFromJson(raw);
  if (errors.length) throw new Error(`${source}: invalid config:\n  ${errors.join('\n  ')}`);
  return { config, source, filled: missingPaths(TRAIN_DEFAULTS as unknown as Obj, raw) };
}

/**
 * Reads a run or config file's text. JSON lines (`gcrl train --out run.jsonl`): the first line with a
 * `config` object. JSON: `{ config, … }` (a page run export) or the config itself.
 */
export function readConfigSource(text: string, name: string): ConfigSource {
  const trimmed = text.trim();
  if (!trimmed) throw new Error(`${name}: the file is empty`);
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    if (isObj(whole) && isObj(whole.config)) return checkedConfig(whole.config, `${name} (config of a run)`);
    return checkedConfig(whole, name);
  }
  const lines = trimmed.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      throw new Error(`${name}: line ${i + 1} is not JSON (${(e as Error).message})`);
    }
    if (isObj(row) && isObj(row.config)) return checkedConfig(row.config, `${name} (line ${i + 1})`);
  }
  throw new Error(
    `${name}: no line has a "config" object — expected a \`gcrl train --out run.jsonl\` file (its step-0 line holds the config) or a config JSON`,
  );
}
