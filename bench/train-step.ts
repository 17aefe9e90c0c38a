// The GC-RL step measurement on node-cpu, shared by `npm run bench:train` and the browser benchmark
// (bench/web.bench.ts), which prints node-cpu's figures from the same run beside the page's.
import { loadCheckpointDir } from '../src/checkpoint/node-fs.js';
import { Runtime } from '../src/engine/runtime.js';
import { preset } from '../src/rl/config.js';
import { GcrlTrainer } from '../src/rl/trainer.js';

export const PHASES = ['rollout1', 'filter', 'rollout2', 'ref', 'update'] as const;

export interface NodeStepResult {
  steps: number;
  warmup: number;
  stepsPerS: number;
  tokensPerS: number;
  peakRssMiB: number;
  /** Mean ms per timed step for each phase (and `step`). */
  phaseMs: Record<string, number>;
}

/** Steps/s of the default gcrl preset on node-cpu after `warmup` steps (sessions compiled, caches filled). */
export async function measureNodeStep(steps = 30, warmup = 5): Promise<NodeStepResult> {
  const rt = await Runtime.create('node-cpu');
  const cfg = { ...preset('gcrl'), steps: steps + warmup };
  cfg.eval = { ...cfg.eval, every: 0 };
  const trainer = await GcrlTrainer.create(rt, cfg, await loadCheckpointDir(cfg.base));
  let peak = 0;
  const sums: Record<string, number> = {};
  for (let s = 1; s <= steps + warmup; s++) {
    const m = await trainer.step();
    peak = Math.max(peak, process.memoryUsage().rss);
    if (s <= warmup) continue;
    for (const [k, v] of Object.entries(m))
      if (k.startsWith('time/') || k === 'perf/tokens_per_s') sums[k] = (sums[k] ?? 0) + v;
  }
  trainer.dispose();
  const per = (k: string) => (sums[k] ?? 0) / steps;
  const phaseMs: Record<string, number> = { step: 1000 * per('time/step') };
  for (const k of PHASES) phaseMs[k] = 1000 * per(`time/${k}`);
  return {
    steps,
    warmup,
    stepsPerS: 1 / per('time/step'),
    tokensPerS: per('perf/tokens_per_s'),
    peakRssMiB: peak / 2 ** 20,
    phaseMs,
  };
}

/** The human-readable report `npm run bench:train` prints. */
export function formatNodeStep(r: NodeStepResult): string {
  const lines = [
    `gcrl preset, ${r.steps} steps after ${r.warmup} warm-up (16 questions × 5 responses, 16 pairs × 5 critiques)`,
    `steps/s ${r.stepsPerS.toFixed(2)}   tokens/s ${r.tokensPerS.toFixed(0)}   peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
  ];
  for (const k of PHASES) {
    const ms = r.phaseMs[k] ?? 0;
    lines.push(
      `  ${k.padEnd(9)} ${ms.toFixed(1).padStart(7)} ms  ${((100 * ms) / (r.phaseMs.step ?? 1)).toFixed(0).padStart(3)}%`,
    );
  }
  return lines.join('\n');
}
