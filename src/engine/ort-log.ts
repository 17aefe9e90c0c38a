// ORT's log, read for what it says about placement: a console tee that captures ORT's WASM output
// while a session is created, and the parser for its "Node placements" lines. No ORT import here.

/** Execution provider name -> number of nodes ORT assigned to it (after its graph optimisations). */
export type Placement = Record<string, number>;

/** Reads the counts from ORT's verbose "Node placements" log (VerifyEachNodeIsAssignedToAnEp). */
export function parsePlacement(lines: readonly string[]): Placement {
  const out: Placement = {};
  for (const m of lines.join('\n').matchAll(/placed on \[(\w+)\]\. Number of nodes: (\d+)/g)) {
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

// ORT's WASM module binds console methods when it loads, so capturing its log needs a tee that
// is installed before the import: it forwards to the real console unless a capture is active.
let logSink: string[] | null = null;
let teeInstalled = false;
export function installConsoleTee(): void {
  if (teeInstalled) return;
  teeInstalled = true;
  const c = console as unknown as Record<string, (...a: unknown[]) => void>;
  for (const name of ['log', 'info', 'warn', 'error', 'debug']) {
    const original = c[name]?.bind(console);
    c[name] = (...a: unknown[]) => {
      if (logSink) logSink.push(a.map(String).join(' '));
      else original?.(...a);
    };
  }
}

export async function captureConsole<T>(sink: string[], fn: () => Promise<T>): Promise<T> {
  logSink = sink;
  try {
    return await fn();
  } finally {
    logSink = null;
  }
}
