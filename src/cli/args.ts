// Command-line helpers: `--set a.b=value` overrides checked against a settings schema (every problem
// listed at once), flag values parsed with the same rules, and a progress line on stderr.
import { SETTINGS } from '../rl/config.js';
import { applyOverrides, parseSetting, type Schema, type Setting } from '../util/schema.js';

/**
 * Applies `key=value` overrides to a copy of `base`: keys must be settings of `schema` (the training
 * schema by default) and values of their kind and range; every problem in one UsageError.
 */
export function applySets<T extends object>(base: T, sets: readonly string[], schema: Schema = SETTINGS): T {
  const [out, errors] = applyOverrides(schema, base, sets);
  if (errors.length) throw new UsageError(errors.join('\n'));
  return out;
}

/** A flag's value (`--samples 4`) parsed and bounded like a setting; `dflt` when the flag is absent. */
export function flagValue<T>(name: string, raw: string | undefined, s: Setting, dflt: T): T {
  if (raw === undefined) return dflt;
  const [v, err] = parseSetting(`--${name}`, s, raw);
  if (err) throw new UsageError(err);
  return v as T;
}

/** A mistake in how the command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A single-line progress bar on stderr (only when stderr is a terminal). */
export function progress(done: number, total: number, text: string): void {
  if (!process.stderr.isTTY) return;
  const width = 24;
  const filled = Math.round((width * done) / Math.max(1, total));
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${text}\x1b[K`,
  );
  if (done >= total) process.stderr.write('\n');
}
