// Legend labels that name what differs between the runs on a chart (e.g. "input=random · lr=0.0001").
import type { TrainConfig } from '../../src/rl/config.js';
import { FIELDS, formatFieldValue, getPath } from '../state/fields';

/** The settings (by URL key) in which `config` differs from at least one of `all`. */
export function differing(config: TrainConfig, all: readonly TrainConfig[]): string[] {
  return FIELDS.filter((f) =>
    all.some((o) => JSON.stringify(getPath(o, f.path)) !== JSON.stringify(getPath(config, f.path))),
  ).map((f) => `${f.url}=${formatFieldValue(getPath(config, f.path))}`);
}

/** "name (differences)" when several runs are shown, else the name. */
export function legendLabel(name: string, config: TrainConfig, all: readonly TrainConfig[]): string {
  const d = differing(config, all);
  if (!d.length || all.length < 2) return name;
  const diff = d.slice(0, 3).join(' · ') + (d.length > 3 ? ' …' : '');
  return name.includes('=') ? name : `${name} (${diff})`;
}
