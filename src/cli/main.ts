// The `gcrl` command line: cold start, evaluation, training and SPEC §5's experiments on node-cpu.
// Every subcommand is one entry of COMMANDS (its options, help and run); every argument is checked
// against the settings schemas before any work starts (no runtime, no folder), all problems listed.
import { parseArgs } from 'node:util';
import { COLDSTART_DEFAULTS, COLDSTART_SETTINGS, coldStartErrors, SEED_MAX } from '../coldstart/run.js';
import type { Runtime } from '../engine/runtime.js';
import { configErrors, PRESETS, preset, SETTINGS, TRAIN_DEFAULTS } from '../rl/config.js';
import { int, pick, schemaHelp } from '../util/schema.js';
import { applySets, flagValue, UsageError } from './args.js';
import { coldStartCommand } from './coldstart.js';
import { evaluateCheckpoint, formatEvalTable } from './evaluate.js';
import { EXPERIMENTS, experimentNames } from './experiments.js';
import { EXPORT_OPTIONS, EXPORT_USAGE, exportCommand } from './export.js';
import { PROBE_OPTIONS, PROBE_USAGE, probeCommand } from './probe.js';
import { reproCommand } from './repro.js';
import { armConfig, defaultJobs } from './repro-runs.js';
import { trainCommand, trainConfig } from './train.js';

/** The node-cpu runtime, imported only once the arguments are valid (help and refusals stay fast). */
const nodeRuntime = async (): Promise<Runtime> =>
  (await import('../engine/runtime.js')).Runtime.create('node-cpu');

type Values = Record<string, string | boolean | string[] | undefined>;
type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean };

interface Command {
  usage: string; // synopsis and one paragraph of what it does
  options: Record<string, OptionSpec>;
  positionals?: boolean;
  more?: () => string[]; // extra help lines (e.g. the settings --set accepts)
  run: (values: Values, positionals: string[], rest: string[]) => Promise<void>;
}

/** Collects every problem with the arguments, then throws them together as one UsageError. */
class Problems {
  readonly list: string[] = [];
  try<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      this.list.push(...(e instanceof Error ? e.message : String(e)).split('\n'));
      return undefined;
    }
  }
  add(xs: readonly string[], prefix = ''): void {
    for (const x of xs) this.list.push(`${prefix}${x}`);
  }
  check(): void {
    if (this.list.length) throw new UsageError(this.list.join('\n  '));
  }
}

const S = (path: string) => pick(SETTINGS, path, 'setting');
const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);
const sets = (v: Values[string]): string[] => (Array.isArray(v) ? v : []);
const setsHelp = (title: string, schema: typeof SETTINGS, defaults: unknown) => () => [
  '',
  `${title} (--set key=value; every value is checked before anything runs):`,
  ...schemaHelp(schema, defaults).map((l) => `  ${l}`),
];

const COMMANDS: Record<string, Command> = {
  coldstart: {
    usage: `gcrl coldstart --out DIR [--name NAME] [--steps N] [--seed S] [--family add|sub|mul1|mod]
                 [--digits D] [--set key=value ...] [--no-eval]
    trains a base checkpoint (e.g. --set model.dModel=96 --set task.trainSize=1024 --set mix.critique=0.5)`,
    options: {
      out: { type: 'string' },
      name: { type: 'string' },
      steps: { type: 'string' },
      seed: { type: 'string' },
      family: { type: 'string' },
      digits: { type: 'string' },
      set: { type: 'string', multiple: true },
      'no-eval': { type: 'boolean' },
    },
    more: setsHelp('Cold-start settings', COLDSTART_SETTINGS, COLDSTART_DEFAULTS),
    run: async (values, _p, rest) => {
      const p = new Problems();
      const out = str(values.out);
      if (!out) p.list.push('coldstart needs --out DIR');
      let o = p.try(() => applySets(COLDSTART_DEFAULTS, sets(values.set), COLDSTART_SETTINGS)) ?? {
        ...structuredClone(COLDSTART_DEFAULTS),
      };
      const flag = <T>(name: string, path: string, dflt: T): T =>
        p.try(() => flagValue(name, str(values[name]), pick(COLDSTART_SETTINGS, path, 'setting'), dflt)) ??
        dflt;
      o = {
        ...o,
        steps: flag('steps', 'steps', o.steps),
        seed: flag('seed', 'seed', o.seed),
        task: {
          ...o.task,
          family: flag('family', 'task.family', o.task.family),
          digits: flag('digits', 'task.digits', o.task.digits),
        },
      };
      if (!p.list.length) p.add(coldStartErrors(o));
      p.check();
      const m = await coldStartCommand(await nodeRuntime(), {
        options: o,
        out: out as string,
        name: str(values.name) ?? (out as string),
        command: `npx gcrl coldstart ${rest.join(' ')}`,
        evaluate: !values['no-eval'],
        evalSeed: 0,
        evalSamples: 4,
      });
      console.log(Object.keys(m).length ? formatEvalTable(m) : `saved ${out}`);
    },
  },
  eval: {
    usage: `gcrl eval --checkpoint DIR [--pool DIR,DIR] [--samples K] [--seed S] [--json]
    held-out generation accuracy and balanced-critique metrics of a checkpoint (checked against the
    model: dimensions, tokenizer, every tensor's name, shape and dtype, no NaN/Inf)`,
    options: {
      checkpoint: { type: 'string' },
      pool: { type: 'string' },
      samples: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: async (values) => {
      const p = new Problems();
      const checkpoint = str(values.checkpoint);
      if (!checkpoint) p.list.push('eval needs --checkpoint DIR');
      const samples = p.try(() => flagValue('samples', str(values.samples), int(1, 64), 4)) ?? 4;
      const seed = p.try(() => flagValue('seed', str(values.seed), int(0, SEED_MAX), 0)) ?? 0;
      p.check();
      const pool = str(values.pool);
      const m = await evaluateCheckpoint(await nodeRuntime(), {
        checkpoint: checkpoint as string,
        pool: pool ? pool.split(',') : undefined,
        samples,
        seed,
      });
      console.log(values.json ? JSON.stringify(m) : formatEvalTable(m));
    },
  },
  train: {
    usage: `gcrl train [--preset ${Object.keys(PRESETS).join('|')}] [--set key=value ...] [--seed S]
             [--steps N] [--base DIR] [--out run.jsonl]
    GC-RL training from a base checkpoint; one JSON line of metrics per step (stdout without --out),
    e.g. --set critique.input=random --set grpo.lr=1e-4 --set critique.reward.wrongRight=0.8`,
    options: {
      preset: { type: 'string' },
      set: { type: 'string', multiple: true },
      seed: { type: 'string' },
      steps: { type: 'string' },
      base: { type: 'string' },
      out: { type: 'string' },
    },
    more: setsHelp('Training settings', SETTINGS, TRAIN_DEFAULTS),
    run: async (values) => {
      const p = new Problems();
      const name = str(values.preset) ?? 'gcrl';
      const start = p.try(() => preset(name)) ?? structuredClone(TRAIN_DEFAULTS);
      p.try(() => applySets(start, sets(values.set)));
      const seed = p.try(() => flagValue<number | undefined>('seed', str(values.seed), S('seed'), undefined));
      const steps = p.try(() =>
        flagValue<number | undefined>('steps', str(values.steps), S('steps'), undefined),
      );
      const base = p.try(() => flagValue<string | undefined>('base', str(values.base), S('base'), undefined));
      const req = { preset: name, sets: sets(values.set), seed, steps, base, out: str(values.out) };
      if (!p.list.length) p.add(configErrors(trainConfig(req)));
      p.check();
      await trainCommand(await nodeRuntime(), req);
    },
  },
  repro: {
    usage: `gcrl repro <${Object.keys(EXPERIMENTS).join('|')}|all> ...
             [--seeds K] [--steps N] [--eval-every E] [--jobs J] --out DIR
    SPEC §5's experiments over K seeds (default 5): a markdown report with paired effects,
    95% t-intervals, verdicts and SVG charts. Runs train J at a time in worker threads
    (default: one per core, at most 8; 1 trains them one by one in this thread)`,
    options: {
      seeds: { type: 'string' },
      steps: { type: 'string' },
      'eval-every': { type: 'string' },
      jobs: { type: 'string' },
      out: { type: 'string' },
    },
    positionals: true,
    run: async (values, positionals, rest) => {
      const p = new Problems();
      const out = str(values.out);
      if (!out) p.list.push('repro needs --out DIR');
      if (!positionals.length) p.list.push('repro needs an experiment name (or all)');
      const names = p.try(() => experimentNames(positionals)) ?? [];
      const seeds = p.try(() => flagValue('seeds', str(values.seeds), int(1, 20), 5)) ?? 5;
      const steps = p.try(() => flagValue('steps', str(values.steps), S('steps'), 100)) ?? 100;
      const evalEvery =
        p.try(() => flagValue('eval-every', str(values['eval-every']), int(1, 100_000), 20)) ?? 20;
      const jobs = p.try(() => flagValue('jobs', str(values.jobs), int(1, 64), defaultJobs())) ?? 1;
      for (const n of names) {
        const e = pick(EXPERIMENTS, n, 'experiment');
        e.arms.forEach((arm, a) => {
          const cfg = p.try(() => armConfig(e, a, seeds, steps, evalEvery)); // the config repro trains
          if (cfg) p.add(configErrors(cfg), `${n} / ${arm.label}: `);
        });
      }
      p.check(); // before the output folder is created
      await reproCommand(await nodeRuntime(), {
        experiments: names,
        seeds,
        steps,
        evalEvery,
        jobs,
        out: out as string,
        command: `npx gcrl repro ${rest.join(' ')}`,
      });
      console.log(`report written to ${out}/README.md`);
    },
  },
  // Hugging Face export and the critic probe parse their own arguments (src/cli/export.ts, probe.ts).
  export: { usage: EXPORT_USAGE, options: EXPORT_OPTIONS, run: (_v, _p, rest) => exportCommand(rest) },
  probe: { usage: PROBE_USAGE, options: PROBE_OPTIONS, run: (_v, _p, rest) => probeCommand(rest) },
};

const USAGE = `usage:\n${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join(
    '\n',
  )}\n  gcrl <command> --help   that command's options (and, for coldstart and train, every --set key)`;

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const which = name === 'help' ? rest[0] : undefined;
    const c = which !== undefined && Object.hasOwn(COMMANDS, which) ? COMMANDS[which] : undefined;
    console.log(c ? [`usage: ${c.usage}`, ...(c.more?.() ?? [])].join('\n') : USAGE);
    return;
  }
  if (!Object.hasOwn(COMMANDS, name))
    throw new UsageError(`unknown command '${name}' (valid: ${Object.keys(COMMANDS).join(', ')})\n${USAGE}`);
  const cmd = COMMANDS[name] as Command;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: cmd.positionals ?? false,
    options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log([`usage: ${cmd.usage}`, ...(cmd.more?.() ?? [])].join('\n'));
    return;
  }
  await cmd.run(values as Values, positionals, rest);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  const usage = e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
  console.error(`gcrl: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(usage ? 2 : 1);
});
