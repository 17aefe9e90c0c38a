// Builds a verl recipe folder in memory from a playground config: the config-dependent files written here,
// the Python sources copied from recipes/verl/ (passed in, so the page and the CLI share this code).
import type { TrainConfig } from '../../rl/config.js';
import type { TarEntry } from '../tar.js';
import { splitRows } from './data.js';
import { type Mapping, mapConfig, RECIPE_DEFAULTS, type RecipeOptions } from './mapping.js';
import { requiredVerlTxt, VERL_COMMIT } from './pin.js';
import { recipeReadme } from './readme.js';
import { toYaml } from './yaml.js';

/** The files copied verbatim from recipes/verl/ (and the golden reward cases for the recipe's own tests). */
export const RECIPE_TEMPLATES = [
  'main_gcrl.py',
  'gcrl_ray_trainer.py',
  'gcrl_core.py',
  'gcrl_prompts.py',
  'reward_gcrl.py',
  'prepare_data.py',
  'tests/test_reward_gcrl.py',
  'tests/test_gcrl_core.py',
] as const;
/** Where the golden reward cases live in the repo, and where the recipe carries them. */
export const GOLDEN_FIXTURE = 'test/fixtures/verl/reward-golden.json';
export const GOLDEN_IN_RECIPE = 'tests/reward_golden.json';

export type Templates = Record<string, string>;

export interface RecipeInput {
  config: TrainConfig;
  source: string; // where the config came from (a run file, "the page")
  options?: Partial<RecipeOptions>;
  filled?: string[]; // settings the source file lacked (defaults taken), recorded in gcrl_source.json
}

export interface RecipeFile extends TarEntry {
  content: string;
}

export const CONFIG_NAME = 'config/gcrl_trainer.yaml';

function runScript(c: TrainConfig, o: RecipeOptions, source: string): string {
  return `#!/usr/bin/env bash
# GC-RL on verl (${VERL_COMMIT.slice(0, 12)}), exported from ${source} (mode ${c.mode}).
# One node:        MODEL_PATH=... bash run_gcrl.sh [hydra overrides]
# A Ray cluster:   RAY_ADDRESS=http://<head>:8265 bash run_gcrl.sh [hydra overrides]
#   (ray job submit ships this folder as the job's working_dir; put large datasets on shared storage
#    and pass absolute TRAIN_FILES / VAL_FILES)
set -euo pipefail
RECIPE_DIR="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
cd "$RECIPE_DIR"

MODEL_PATH=\${MODEL_PATH:-${o.model}}
NNODES=\${NNODES:-${o.nnodes}}
GPUS_PER_NODE=\${GPUS_PER_NODE:-${o.gpusPerNode}}
TRAIN_FILES=\${TRAIN_FILES:-data/train.parquet}
VAL_FILES=\${VAL_FILES:-data/test.parquet}

if [[ "$TRAIN_FILES" == data/train.parquet && ! -f data/train.parquet ]]; then
  python3 prepare_data.py
fi

ARGS=(
  actor_rollout_ref.model.path="$MODEL_PATH"
  trainer.nnodes="$NNODES"
  trainer.n_gpus_per_node="$GPUS_PER_NODE"
  data.train_files="$TRAIN_FILES"
  data.val_files="$VAL_FILES"
)

if [[ -n "\${RAY_ADDRESS:-}" ]]; then
  ray job submit --address "$RAY_ADDRESS" \\
    --runtime-env-json "{\\"working_dir\\": \\"$RECIPE_DIR\\", \\"excludes\\": [\\"data/*.jsonl\\", \\"checkpoints/\\"]}" \\
    -- python3 main_gcrl.py "\${ARGS[@]}" "$@"
else
  python3 main_gcrl.py "\${ARGS[@]}" reward.custom_reward_function.path="$RECIPE_DIR/reward_gcrl.py" "$@"
fi
`;
}

function trainerYaml(source: string, m: Mapping): string {
  const head = `# GC-RL trainer config: verl's ppo_trainer plus the playground run's settings.
# Exported from ${source}; verl commit ${VERL_COMMIT} (REQUIRED_VERL.txt).
# Every playground setting and the key it maps to: README.md ("Every playground setting").
`;
  return head + toYaml(m.yaml, m.comments);
}

/** The recipe's files (relative paths), in a stable order; throws when verl would refuse the batch sizes. */
export function buildVerlRecipe(input: RecipeInput, templates: Templates): RecipeFile[] {
  const o: RecipeOptions = { ...RECIPE_DEFAULTS, ...input.options };
  const c = input.config;
  const m = mapConfig(c, o);
  const fatal = m.checks.filter((k) => k.fatal && !k.ok);
  if (fatal.length)
    throw new Error(
      `verl would refuse these batch sizes on ${o.nnodes}×${o.gpusPerNode} GPUs:\n  ${fatal.map((k) => `${k.name}: ${k.detail}`).join('\n  ')}\n(change rollout.questions / rollout.n / grpo.miniBatch, or the GPU count)`,
    );
  const need = [...RECIPE_TEMPLATES, GOLDEN_FIXTURE];
  const absent = need.filter((t) => templates[t] === undefined);
  if (absent.length) throw new Error(`recipe templates missing: ${absent.join(', ')}`);
  const [train, test] = splitRows(c.task);
  const files: RecipeFile[] = [
    { path: 'README.md', content: recipeReadme(c, input.source, o, m) },
    { path: 'REQUIRED_VERL.txt', content: requiredVerlTxt() },
    { path: CONFIG_NAME, content: trainerYaml(input.source, m) },
    { path: 'run_gcrl.sh', content: runScript(c, o, input.source), mode: 0o755 },
    ...RECIPE_TEMPLATES.map((t) => ({ path: t, content: templates[t] as string })),
    { path: GOLDEN_IN_RECIPE, content: templates[GOLDEN_FIXTURE] as string },
    { path: 'data/train.jsonl', content: train },
    { path: 'data/test.jsonl', content: test },
    {
      path: 'gcrl_source.json',
      content: `${JSON.stringify({ source: input.source, verl_commit: VERL_COMMIT, options: o, filled_from_defaults: input.filled ?? [], config: c, mapping: m.rows, checks: m.checks }, null, 1)}\n`,
    },
  ];
  return files;
}
