// GC-RL step benchmark (`npm run bench:train [-- --steps N]`, also part of `npm run bench`): steps/s
// of the default gcrl preset on node-cpu with the phase breakdown and peak memory, after a warm-up
// (sessions compiled, caches filled).
import { loadCheckpointDir } from '../src/checkpoint/node-fs.js';
import { Runtime } from '../src/engine/runtime.js';
import { preset } from '../src/rl/config.js';
import { GcrlTrainer } from '../src/rl/trainer.js';

const args = process.argv.slice(2);
const steps = args.includes('--steps') ? Number(args[args.indexOf('--steps') + 1]) : 30;
const warm = 5;
const rt = await Runtime.create('node-cpu');
const cfg = { ...preset('gcrl'), steps: steps + warm };
cfg.eval = { ...cfg.eval, every: 0 };
const trainer = await GcrlTrainer.create(rt, cfg, await loadCheckpointDir(cfg.base));
let peak = 0;
const sums: Record<string, number> = {};
for (let s = 1; s <= steps + warm; s++) {
  const m = await trainer.step();
  peak = Math.max(peak, process.memoryUsage().rss);
  if (s <= warm) continue;
  for (const [k, v] of Object.entries(m))
    if (k.startsWith('time/') || k === 'perf/tokens_per_s') sums[k] = (sums[k] ?? 0) + v;
}
trainer.dispose();
const per = (k: string) => (sums[k] ?? 0) / steps;
console.log(
  `gcrl preset, ${steps} steps after ${warm} warm-up (16 questions × 5 responses, 16 pairs × 5 critiques)`,
);
console.log(
  `steps/s ${(1 / per('time/step')).toFixed(2)}   tokens/s ${per('perf/tokens_per_s').toFixed(0)}   peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
);
for (const k of ['rollout1', 'filter', 'rollout2', 'ref', 'update']) {
  console.log(
    `  ${k.padEnd(9)} ${(1000 * per(`time/${k}`)).toFixed(1).padStart(7)} ms  ${((100 * per(`time/${k}`)) / per('time/step')).toFixed(0).padStart(3)}%`,
  );
}
