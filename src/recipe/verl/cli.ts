// `gcrl export --recipe verl`: a playground run (JSON lines) or config (JSON) as a verl recipe folder.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UsageError } from '../../cli/args.js';
import { exportVerlRecipe } from './export.js';
import { RECIPE_DEFAULTS, type RecipeOptions } from './mapping.js';
import { VERL_COMMIT } from './pin.js';
import { readConfigSource } from './source.js';

export const VERL_USAGE = `gcrl export --recipe verl (--run RUN.jsonl | --config CONFIG.json) --out DIR
             [--model HF_ID] [--nodes N] [--gpus PER_NODE] [--rollout vllm|sglang] [--tp T]
  writes a verl recipe (verl ${VERL_COMMIT.slice(0, 12)}) that trains a real chat model with the run's
  method on a Ray cluster: config/gcrl_trainer.yaml, main_gcrl.py, gcrl_ray_trainer.py,
  reward_gcrl.py, run_gcrl.sh, README.md (every setting mapped; those verl has no key for listed)
  --run     a \`gcrl train --out\` file (its step-0 line holds the config) or a page run export (.json)
  --config  a config JSON (the page's "Config JSON")
  defaults: --model ${RECIPE_DEFAULTS.model} --nodes ${RECIPE_DEFAULTS.nnodes} --gpus ${RECIPE_DEFAULTS.gpusPerNode} --rollout ${RECIPE_DEFAULTS.rollout} --tp ${RECIPE_DEFAULTS.tensorParallel}
  see docs/scale-out.md`;

/** The options `export --recipe verl` adds to `gcrl export`'s (--out and --recipe are export's own). */
export const VERL_OPTIONS = {
  run: { type: 'string' },
  config: { type: 'string' },
  model: { type: 'string' },
  nodes: { type: 'string' },
  gpus: { type: 'string' },
  rollout: { type: 'string' },
  tp: { type: 'string' },
} as const;

const positiveInt = (name: string, v: string | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got '${v}'`);
  return n;
};

/** Parses `export --recipe verl …` arguments (the whole argv after `export`) and writes the recipe. */
export async function verlRecipeCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...VERL_OPTIONS,
      recipe: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(VERL_USAGE);
    return;
  }
  const file = values.run ?? values.config;
  if (!file || (values.run && values.config))
    throw new UsageError(`give exactly one of --run RUN.jsonl, --config CONFIG.json\n${VERL_USAGE}`);
  if (!values.out) throw new UsageError(`export --recipe verl needs --out DIR\n${VERL_USAGE}`);
  if (values.rollout && values.rollout !== 'vllm' && values.rollout !== 'sglang')
    throw new UsageError(`--rollout must be vllm or sglang, got '${values.rollout}'`);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${e.code ?? e.message}`);
  });
  const src = readConfigSource(text, file);
  const options: Partial<RecipeOptions> = {
    model: values.model ?? RECIPE_DEFAULTS.model,
    nnodes: positiveInt('nodes', values.nodes, RECIPE_DEFAULTS.nnodes),
    gpusPerNode: positiveInt('gpus', values.gpus, RECIPE_DEFAULTS.gpusPerNode),
    rollout: (values.rollout as RecipeOptions['rollout'] | undefined) ?? RECIPE_DEFAULTS.rollout,
    tensorParallel: positiveInt('tp', values.tp, RECIPE_DEFAULTS.tensorParallel),
  };
  const written = await exportVerlRecipe(
    { config: src.config, source: src.source, options, filled: src.filled },
    values.out,
  );
  if (src.filled.length)
    console.error(
      `gcrl: ${file} lacked ${src.filled.join(', ')}: took the defaults (listed in gcrl_source.json)`,
    );
  for (const p of written) console.log(p);
  console.log(`verl recipe written to ${values.out} (README.md says how to run it)`);
}
