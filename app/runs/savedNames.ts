// The names of checkpoints saved in this browser, mirrored in localStorage so the URL decoder
// (which runs synchronously at start-up) can accept `base=saved:<name>` links made on this machine.
import type { FieldOption } from '../state/fields';
import { BASE_OPTIONS } from '../state/fields';

const KEY = 'gcrl.savedCheckpoints';

export function savedNames(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function setSavedNames(names: readonly string[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(names));
  } catch {
    // storage full or disabled: links to saved checkpoints then fall back to the defaults
  }
}

/** Shipped checkpoints plus the ones saved here. */
export function baseOptions(names = savedNames()): FieldOption[] {
  return [
    ...BASE_OPTIONS,
    ...names.map((n) => ({ value: `saved:${n}`, label: `${n} (saved in this browser)` })),
  ];
}
