// Command-line helpers: `--set a.b=value` overrides on a typed config (every problem listed at
// once), and a progress line on stderr.

/** Applies `key=value` overrides to a copy of `base`; keys must exist and keep their type. */
export function applySets<T extends object>(base: T, sets: readonly string[]): T {
  const out = structuredClone(base) as Record<string, unknown>;
  const errors: string[] = [];
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq < 1) {
      errors.push(`--set ${s}: expected key=value`);
      continue;
    }
    const path = s.slice(0, eq).split('.');
    const raw = s.slice(eq + 1);
    let obj: Record<string, unknown> = out;
    for (const k of path.slice(0, -1)) {
      const next = obj[k];
      if (typeof next !== 'object' || next === null) {
        obj = {};
        break;
      }
      obj = next as Record<string, unknown>;
    }
    const key = path.at(-1) as string;
    if (!(key in obj)) {
      errors.push(`--set ${s}: unknown key '${path.join('.')}'`);
      continue;
    }
    const cur = obj[key];
    if (typeof cur === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) errors.push(`--set ${s}: '${raw}' is not a number`);
      else obj[key] = n;
    } else if (typeof cur === 'boolean') {
      if (raw !== 'true' && raw !== 'false') errors.push(`--set ${s}: expected true or false`);
      else obj[key] = raw === 'true';
    } else if (typeof cur === 'string') obj[key] = raw;
    else errors.push(`--set ${s}: '${path.join('.')}' is not a settable value`);
  }
  if (errors.length) throw new UsageError(errors.join('\n'));
  return out as T;
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
