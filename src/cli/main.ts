// The `gcrl` command line: cold start and evaluation of checkpoints on node-cpu.
import { parseArgs } from 'node:util';
import { COLDSTART_DEFAULTS } from '../coldstart/run.js';
import { Runtime } from '../engine/runtime.js';
import { FAMILIES, type Family } from '../lm/tasks.js';
import { PRESETS } from '../rl/config.js';
import { applySets, UsageError } from './args.js';
import { coldStartCommand } from './coldstart.js';
import { evaluateCheckpoint, formatEvalTable } from './evaluate.js';
import { reproCommand } from './repro.js';
import { trainCommand } from './train.js';

const USAGE = `usage:
  gcrl coldstart --out DIR [--name NAME] [--steps N] [--seed S] [--family add|sub|mul1|mod]
                 [--digits D] [--set key=value ...] [--no-eval]
      trains a base checkpoint; keys for --set: ${Object.keys(COLDSTART_DEFAULTS).join(', ')} (nested with '.',
      e.g. --set model.dModel=96 --set task.trainSize=1024 --set mix.critique=0.5)
  gcrl eval --checkpoint DIR [--pool DIR,DIR] [--samples K] [--seed S] [--json]
      held-out generation accuracy and balanced-critique metrics
  gcrl train --preset ${Object.keys(PRESETS).join('|')} [--set key=value ...] [--seed S] [--steps N]
             [--base DIR] [--out run.jsonl]
      GC-RL training from a base checkpoint; one JSON line of metrics per step (stdout without --out),
      e.g. --set critique.input=random --set grpo.lr=1e-4 --set critique.reward.wrongRight=0.8
  gcrl repro <label-balance|reward-shaping|joint-training|static-vs-dynamic|denoising|all>
             [--seeds K] [--steps N] [--eval-every E] --out DIR
      SPEC §5's experiments over K seeds: a markdown report with tables and SVG charts`;

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      name: { type: 'string' },
      steps: { type: 'string' },
      seed: { type: 'string' },
      family: { type: 'string' },
      digits: { type: 'string' },
      set: { type: 'string', multiple: true },
      'no-eval': { type: 'boolean' },
      checkpoint: { type: 'string' },
      pool: { type: 'string' },
      samples: { type: 'string' },
      json: { type: 'boolean' },
      preset: { type: 'string' },
      seeds: { type: 'string' },
      'eval-every': { type: 'string' },
      base: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new UsageError(`--${name} must be a non-negative integer, got '${v}'`);
    return n;
  };
  const rt = await Runtime.create('node-cpu');
  if (cmd === 'coldstart') {
    if (!values.out) throw new UsageError('coldstart needs --out DIR');
    if (values.family && !FAMILIES.includes(values.family as Family)) {
      throw new UsageError(`--family must be one of ${FAMILIES.join(', ')}, got '${values.family}'`);
    }
    let o = applySets(COLDSTART_DEFAULTS, values.set ?? []);
    o = {
      ...o,
      steps: int('steps', values.steps, o.steps),
      seed: int('seed', values.seed, o.seed),
      task: {
        ...o.task,
        family: (values.family as Family) ?? o.task.family,
        digits: int('digits', values.digits, o.task.digits),
      },
    };
    const command = `npx gcrl coldstart ${rest.join(' ')}`;
    const m = await coldStartCommand(rt, {
      options: o,
      out: values.out,
      name: values.name ?? values.out,
      command,
      evaluate: !values['no-eval'],
      evalSeed: 0,
      evalSamples: 4,
    });
    console.log(Object.keys(m).length ? formatEvalTable(m) : `saved ${values.out}`);
  } else if (cmd === 'eval') {
    if (!values.checkpoint) throw new UsageError('eval needs --checkpoint DIR');
    const m = await evaluateCheckpoint(rt, {
      checkpoint: values.checkpoint,
      pool: values.pool ? values.pool.split(',') : undefined,
      samples: int('samples', values.samples, 4),
      seed: int('seed', values.seed, 0),
    });
    console.log(values.json ? JSON.stringify(m) : formatEvalTable(m));
  } else if (cmd === 'train') {
    await trainCommand(rt, {
      preset: values.preset ?? 'gcrl',
      sets: values.set ?? [],
      seed: values.seed === undefined ? undefined : int('seed', values.seed, 0),
      steps: values.steps === undefined ? undefined : int('steps', values.steps, 0),
      base: values.base,
      out: values.out,
    });
  } else if (cmd === 'repro') {
    if (!values.out) throw new UsageError('repro needs --out DIR');
    if (!positionals.length) throw new UsageError('repro needs an experiment name (or all)');
    await reproCommand(rt, {
      experiments: positionals,
      seeds: int('seeds', values.seeds, 3),
      steps: int('steps', values.steps, 100),
      evalEvery: Math.max(1, int('eval-every', values['eval-every'], 20)),
      out: values.out,
      command: `npx gcrl repro ${rest.join(' ')}`,
    });
    console.log(`report written to ${values.out}/README.md`);
  } else {
    throw new UsageError(`unknown command '${cmd}'\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`gcrl: ${(e as Error).message}`);
    process.exit(2);
  }
  console.error(`gcrl: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
