// `gcrl coldstart`: trains a base checkpoint from a seed, saves it, and writes a README next to
// it with its measured figures and the commands that rebuild and re-evaluate it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { saveCheckpointDir } from '../checkpoint/node-fs.js';
import { type ColdStartOptions, runColdStart } from '../coldstart/run.js';
import type { Runtime } from '../engine/runtime.js';
import { policyCheckpoint } from '../model/io.js';
import { parameterCount } from '../model/policy.js';
import { progress } from './args.js';
import { evaluateCheckpoint, formatEvalTable } from './evaluate.js';

export interface ColdStartRequest {
  options: ColdStartOptions;
  out: string;
  name: string;
  command: string; // how this was invoked, for provenance and the README
  evaluate: boolean;
  evalSeed: number;
  evalSamples: number;
}

export async function coldStartCommand(rt: Runtime, r: ColdStartRequest): Promise<Record<string, number>> {
  const o = r.options;
  const t0 = performance.now();
  let lastLoss = Number.NaN;
  const policy = await runColdStart(rt, o, (s) => {
    lastLoss = s.loss;
    progress(
      s.step,
      o.steps,
      `loss ${s.loss.toFixed(4)} lr ${s.lr.toExponential(2)} ${s.ms.toFixed(0)} ms/step`,
    );
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  let ck: Checkpoint;
  try {
    ck = await policyCheckpoint(
      policy,
      {
        seed: o.seed,
        steps: o.steps,
        data: {
          kind: 'coldstart',
          task: o.task,
          mix: o.mix,
          batch: o.batch,
          lr: o.lr,
          scheduleSteps: o.scheduleSteps,
        },
        createdAt: new Date().toISOString(),
        command: r.command,
      },
      { 'coldstart/final_loss': lastLoss, 'coldstart/seconds': trainSeconds },
    );
    await saveCheckpointDir(r.out, ck);
  } finally {
    policy.dispose();
  }
  if (!r.evaluate) return {};
  const m = await evaluateCheckpoint(rt, { checkpoint: r.out, samples: r.evalSamples, seed: r.evalSeed });
  const finite = Object.fromEntries(Object.entries(m).filter(([, v]) => Number.isFinite(v)));
  await saveCheckpointDir(r.out, { ...ck, metrics: { ...ck.metrics, ...finite } }); // figures travel with it
  const evalCmd = `npx gcrl eval --checkpoint ${r.out} --samples ${r.evalSamples} --seed ${r.evalSeed}`;
  const cfg = { ...o.model, vocab: 0 };
  writeFileSync(
    join(r.out, 'README.md'),
    [
      `# Base checkpoint "${r.name}"`,
      '',
      `Cold start (supervised) of the tiny GPT on \`${o.task.family}\` with ${o.task.digits}-digit operands: ` +
        `${o.steps} steps (of a ${o.scheduleSteps || o.steps}-step cosine schedule) of ${o.batch} examples (mix: generation ${o.mix.generation}, critique ${o.mix.critique}, ` +
        `refinement ${o.mix.refinement}), seed ${o.seed}; ${o.model.nLayer} layers, width ${o.model.dModel}, ` +
        `${o.model.nHead} heads, context ${o.model.ctx} (${parameterCount({ ...cfg, vocab: 24 }).toLocaleString('en')} parameters). ` +
        `Held-out set: ${o.task.heldOutSize} questions (split seed ${o.task.splitSeed}), never seen in training.`,
      '',
      `Measured on node-cpu with \`${evalCmd}\` (the critique set is built from this checkpoint's own sampled responses):`,
      '',
      '```',
      formatEvalTable(m),
      '```',
      '',
      `Rebuild (bit-identical on node-cpu from the seed; about ${Math.round(trainSeconds)} s on a 2-core machine):`,
      '',
      '```sh',
      r.command,
      '```',
      '',
    ].join('\n'),
  );
  return m;
}
