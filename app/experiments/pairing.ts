// Which run is which arm and seed of a page experiment, and each arm's latest held-out value per
// seed — the input `judge` (src/cli/experiments.ts) pairs into effects, as `gcrl repro` does.
import type { TrainConfig } from '../../src/rl/config.js';

/** The run name of an arm at a seed: the arm's label, with the seed when a preset runs several. */
export const armRunName = (label: string, seed: number, seeds: number): string =>
  seeds > 1 ? `${label} · seed ${seed}` : label;

interface RunLike {
  id: string;
  name: string;
  config: Pick<TrainConfig, 'seed'>;
}

/** The latest value of `key` in a run's rows (held-out keys appear every eval.every steps). */
export function latest(rows: readonly Record<string, number>[] | undefined, key: string): number {
  const rs = rows ?? [];
  for (let i = rs.length - 1; i >= 0; i--) {
    const v = rs[i]?.[key];
    if (v !== undefined) return v;
  }
  return Number.NaN;
}

/**
 * `values(arm, metric)` for `judge`: one entry per seed present among the runs (ascending), the
 * arm's latest value at that seed, NaN where that arm has no run (or no evaluation yet) there.
 */
export function seedValues(
  runs: readonly RunLike[],
  rows: Readonly<Record<string, readonly Record<string, number>[]>>,
  labels: readonly string[],
): { seeds: number[]; values: (arm: string, metric: string) => number[] } {
  const seeds = [...new Set(runs.map((r) => r.config.seed))].sort((a, b) => a - b);
  const runOf = (arm: string, seed: number): RunLike | undefined => {
    // the newest run of that arm and seed (a preset launched twice at one seed)
    for (let i = runs.length - 1; i >= 0; i--) {
      const r = runs[i] as RunLike;
      if (r.config.seed === seed && (r.name === arm || r.name === armRunName(arm, seed, 2))) return r;
    }
    return undefined;
  };
  return {
    seeds,
    values: (arm, metric) => {
      if (!labels.includes(arm)) throw new Error(`unknown arm '${arm}' (valid: ${labels.join(', ')})`);
      return seeds.map((s) => {
        const run = runOf(arm, s);
        return run ? latest(rows[run.id], metric) : Number.NaN;
      });
    },
  };
}
