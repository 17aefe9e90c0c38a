// A/B figures for the engine speed changes (`npx tsx bench/speedups.bench.ts [--reps N]`), each
// measured in one process with the two variants interleaved, so a busy machine slows both alike:
// GELU as ten primitives vs one fused node, decode steps that rewrite whole K/V caches vs ones that
// return only the new slot, and the sort-based vs the sort-free draw at temperature 1. Node-cpu.
import { loadCheckpointDir } from '../src/checkpoint/node-fs.js';
import { TASK_DEFAULTS } from '../src/coldstart/run.js';
import { gradients } from '../src/engine/autodiff.js';
import { hostTensor } from '../src/engine/dtype.js';
import { Graph, type Value } from '../src/engine/graph.js';
import * as op from '../src/engine/ops.js';
import { Runtime } from '../src/engine/runtime.js';
import { generationPrompt } from '../src/lm/formats.js';
import { makeSplits } from '../src/lm/tasks.js';
import { encode, VOCAB } from '../src/lm/tokenizer.js';
import { policyFromCheckpoint } from '../src/model/io.js';
import { sampleToken } from '../src/model/sample.js';
import { Rng } from '../src/util/rng.js';

const args = process.argv.slice(2);
const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 15;
const rt = await Runtime.create('node-cpu');

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] as number, median: s[Math.floor(s.length / 2)] as number };
};
/** Runs each variant `reps` times, interleaved, after one warm-up; ms per call. */
async function ab(variants: Record<string, () => Promise<unknown> | unknown>) {
  const times: Record<string, number[]> = {};
  for (const [k, f] of Object.entries(variants)) {
    await f();
    times[k] = [];
  }
  for (let r = 0; r < reps; r++) {
    for (const [k, f] of Object.entries(variants)) {
      const t0 = performance.now();
      await f();
      times[k]?.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
}
const show = (title: string, r: Record<string, { min: number; median: number }>) => {
  console.log(title);
  for (const [k, s] of Object.entries(r))
    console.log(
      `  ${k.padEnd(34)} median ${s.median.toFixed(2).padStart(8)} ms   min ${s.min.toFixed(2).padStart(8)} ms`,
    );
};

// 1. GELU on the MLP hidden activations of a GRPO mini-batch: [64 × 24, 256], forward and backward.
const primitiveGelu = (x: Value): Value => {
  const inner = op.mul(op.add(x, op.mul(op.mul(op.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return op.mul(op.mul(x, 0.5), op.add(op.tanh(inner), 1));
};
function geluGraph(f: (x: Value) => Value, backward: boolean) {
  const g = new Graph('gelu_ab');
  const x = g.input('x', 'float32', [64 * 24, 256]);
  const y = f(x);
  g.output(op.sum(y), 'loss');
  if (backward) g.output(gradients(op.sum(y), [x])[0] as Value, 'dx');
  return g.toOnnx();
}
const xs = hostTensor('float32', [64 * 24, 256]);
const rng = new Rng(1);
for (let i = 0; i < xs.data.length; i++) xs.data[i] = 4 * (rng.next() - 0.5);
for (const backward of [false, true]) {
  const [prim, fused] = await Promise.all([
    rt.compile(geluGraph(primitiveGelu, backward)),
    rt.compile(geluGraph(op.gelu, backward)),
  ]);
  show(
    `GELU on [1536, 256]${backward ? ', forward + backward' : ', forward'}`,
    await ab({
      'ten primitives': () => prim.runHost({ x: xs }),
      'one Gelu node': () => fused.runHost({ x: xs }),
    }),
  );
}

// 2. Decode: one first-order rollout of the default preset (16 questions × 5 responses) from `weak`.
const base = await loadCheckpointDir('public/models/weak');
const policy = policyFromCheckpoint(rt, base);
const qs = makeSplits({ ...TASK_DEFAULTS, seed: TASK_DEFAULTS.splitSeed }).train.slice(0, 16);
const prompts = qs.flatMap((q) => Array.from({ length: 5 }, () => encode(generationPrompt(q))));
const maxNew = Math.max(...qs.map((q) => q.width)) + 2;
const gen = (mode: 'host' | 'graph') => async () => {
  policy.cacheWrites = mode;
  await policy.generate(prompts, { eos: VOCAB.EOS, pad: VOCAB.PAD, maxNew, seed: 7 });
};
show(
  `generate: 80 prompts, up to ${maxNew} new tokens (prefill + decode runs + sampling)`,
  await ab({
    'graph rewrites whole K/V caches': gen('graph'),
    'host writes the new K/V slot': gen('host'),
  }),
);

// 3. Sampling one 80-row round of logits at temperature 1 (peaked rows, like a trained policy's).
const rows = Array.from({ length: 80 }, () =>
  Float32Array.from({ length: VOCAB.size }, () => 6 * rng.next() * rng.next() * (rng.next() < 0.1 ? 3 : 1)),
);
const draw = (topK: number) => () => {
  const r = new Rng(3);
  for (let k = 0; k < 20; k++) for (const row of rows) sampleToken(row, { temperature: 1, topK, topP: 1 }, r);
};
show(
  'sampling 20 rounds of 80 rows at temperature 1',
  await ab({
    'sort + two log-softmaxes (topK=V)': draw(VOCAB.size),
    'sort-free descending walk': draw(0),
  }),
);
policy.dispose();
