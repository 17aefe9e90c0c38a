// Downloads from the page: metric rows as CSV or JSON lines, configs as JSON, checkpoint bundles.
import type { Row } from '../state/rows';

/** Triggers a browser download of `blob` as `filename`. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Triggers a browser download of text or bytes as `filename`. */
export function download(filename: string, data: string | Uint8Array, type: string): void {
  const part = typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer);
  downloadBlob(new Blob([part], { type }), filename);
}

/** Rows as CSV: `step` first, then every key any row has, sorted; empty cells where a row lacks one. */
export function rowsToCsv(rows: readonly Row[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'step').sort();
  const cols = ['step', ...keys];
  const cell = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  return `${[cols.join(','), ...rows.map((r) => cols.map((k) => cell(r[k])).join(','))].join('\n')}\n`;
}

/** A run as one JSON document: its name, config and every row, the same keys as the CLI's JSON lines. */
export function runToJson(run: { name: string; config: unknown }, rows: readonly Row[]): string {
  return `${JSON.stringify({ name: run.name, config: run.config, rows }, null, 1)}\n`;
}

/** A file-name-safe slug of a run name. */
export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'run';
