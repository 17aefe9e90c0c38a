// GC-RL step benchmark (`npm run bench:train [-- --steps N]`, also part of `npm run bench`): steps/s
// of the default gcrl preset on node-cpu with the phase breakdown and peak memory, after a warm-up
// (sessions compiled, caches filled). The measurement lives in train-step.ts (the browser benchmark reuses it).
import { formatNodeStep, measureNodeStep } from './train-step.js';

const args = process.argv.slice(2);
const steps = args.includes('--steps') ? Number(args[args.indexOf('--steps') + 1]) : 30;
console.log(formatNodeStep(await measureNodeStep(steps, 5)));
