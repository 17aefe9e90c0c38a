// The recipe's README: how to run it, the full setting mapping (with every setting verl has no key for),
// the batch checks, and what to change for a real dataset and model.
import type { TrainConfig } from '../../rl/config.js';
import type { Mapping, MappingRow, RecipeOptions } from './mapping.js';
import { VERL_COMMIT, VERL_COMMIT_DATE, VERL_RECIPE_COMMIT, VERL_RECIPE_REPO, VERL_REPO } from './pin.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const WHERE = { verl: 'verl key', recipe: 'recipe (gcrl.* / reward)', none: '**no counterpart**' } as const;

function table(rows: readonly MappingRow[]): string {
  const head =
    '| playground setting | value | verl / recipe key | value there | where | note |\n|---|---|---|---|---|---|\n';
  return (
    head +
    rows
      .map(
        (r) =>
          `| \`${cell(r.setting)}\` | ${cell(r.value)} | ${cell(r.target)} | ${cell(r.targetValue)} | ${WHERE[r.counterpart]} | ${cell(r.note ?? '')} |`,
      )
      .join('\n')
  );
}

export const RECIPE_FILES_DOC = `| file | what it is |
|---|---|
| \`config/gcrl_trainer.yaml\` | extends verl's \`ppo_trainer\`; every playground setting mapped (table below); \`gcrl:\` holds the settings verl has no key for |
| \`main_gcrl.py\` | entry point: verl's task runner with \`RayGCRLTrainer\` in place of \`RayPPOTrainer\` |
| \`gcrl_ray_trainer.py\` | \`fit()\` with the second-order rollout, critique inputs, Eq. 4 refinements, grouping by \`uid\`, the \`gcrl_median\` estimator |
| \`gcrl_core.py\` | pure Python: data filter, question–response cache, random sampling, grouping, median baseline, critic metrics |
| \`reward_gcrl.py\` | pure Python: Eqs. 1–6, the Eq. 3 reweighting, verdict parser, rule verifier; verl's \`compute_score\` |
| \`gcrl_prompts.py\` | chat templates for critiques and refinements |
| \`prepare_data.py\` | \`data/*.jsonl\` (the playground's split) → \`data/*.parquet\` |
| \`run_gcrl.sh\` | launcher for one node or a Ray cluster (\`RAY_ADDRESS\`) |
| \`REQUIRED_VERL.txt\` | the pinned verl commit |
| \`tests/\` | \`python3 -m unittest discover -s tests\`: rewards against the playground's golden numbers, the data path |
| \`gcrl_source.json\` | the playground config this recipe was made from |`;

export function recipeReadme(c: TrainConfig, source: string, o: RecipeOptions, m: Mapping): string {
  const missing = m.rows.filter((r) => r.counterpart !== 'verl');
  const checks = m.checks
    .map((k) => `- ${k.ok ? '✔' : k.fatal ? '✘ (verl refuses to start)' : '⚠'} ${k.name}: ${k.detail}`)
    .join('\n');
  return `# GC-RL on verl — recipe exported from the GC-RL Playground

Made from \`${source}\` (mode \`${c.mode}\`, seed ${c.seed}, steps: ${c.steps}) for
${o.nnodes} node(s) × ${o.gpusPerNode} GPUs and \`${o.model}\`. It runs the playground's method —
first-order rollouts, the critique data filter and cache, second-order rollouts, Eqs. 1–6 rewards,
one GRPO update over responses and critiques — on a real chat model with
[verl](${VERL_REPO}) at commit [\`${VERL_COMMIT.slice(0, 12)}\`](${VERL_REPO}/tree/${VERL_COMMIT})
(${VERL_COMMIT_DATE}). Its layout follows the DAPO recipe of
[verl-recipe](${VERL_RECIPE_REPO}/tree/${VERL_RECIPE_COMMIT}/dapo).

Nothing here was run on a GPU by the exporter: the Python compiles, the rewards match the
playground's numbers case for case (\`tests/\`), and every key of the yaml exists in the pinned
commit's generated trainer config. The trainer itself is untested until you run it.

## Run

\`\`\`bash
pip install "verl @ git+${VERL_REPO}.git@${VERL_COMMIT}"   # plus vllm, as verl's install docs say
python3 -m unittest discover -s tests                     # no GPU needed
python3 prepare_data.py                                   # data/*.jsonl -> data/*.parquet
MODEL_PATH=${o.model} bash run_gcrl.sh                    # one node
RAY_ADDRESS=http://head:8265 bash run_gcrl.sh             # a running Ray cluster (ray job submit)
\`\`\`

Any Hydra override can follow \`run_gcrl.sh\`, e.g. \`gcrl.grouping=question trainer.logger='[console,wandb]'\`.

## Files

${RECIPE_FILES_DOC}

## One step, in verl terms

1. uid per question → \`n\` responses each through verl's agent loop; \`reward_gcrl.compute_score\`
   scores them (Eq. 1) in verl's reward workers; the running accuracy \`p\` (EMA 0.9) is updated.
2. Critique input (\`gcrl.critique.input\`): \`filter\` keeps one correct + one wrong response of
   every question with both, adds them to the question–response cache and samples
   \`gcrl.critique.pairs\` pairs from it; \`random\` / \`randomReweight\` sample the step's responses;
   C-RL static (\`mode: crl-static\`) samples a pair set built once before training.
3. \`gcrl.critique.n\` critiques per pair; each sample's \`extra_info\` carries the judged response's
   label, \`p\` and whether Eq. 3 applies, because verl's reward function runs in another process.
4. With \`gcrl.critique.denoise_m\` > 0 (Critique-RL: from half-way), \`m\` refinements per critique
   are generated and scored; the critique is re-scored with its count \`k\` (Eq. 4: R(c) + R_q(c)).
5. Responses (modes \`grl\`, \`gcrl\`) and critiques are concatenated (\`DataProto.concat\`: both carry
   the same reward keys). Critiques carry their question's uid in \`question_uid\`; the \`uid\`
   column that verl's GRPO groups by follows \`gcrl.grouping\`: \`per_prompt\` (responses by
   question, critiques by pair), \`question\` (critiques join their question's group), \`step\` (one
   group for the step: the playground's \`mixed\`, the reading under which Eq. 3 and Eqs. 5/6 change
   training at all).
6. Old and reference log-probs, advantages (\`algorithm.adv_estimator\`), one actor update.

## Every playground setting

${table(m.rows)}

### Settings with no verl key

${missing.map((r) => `- \`${r.setting}\` → ${r.counterpart === 'none' ? '**no counterpart**' : `recipe: ${r.target === '—' ? r.targetValue : r.target}`}${r.note ? ` — ${r.note}` : ''}`).join('\n')}

## Batch sizes

verl counts \`data.train_batch_size\` and \`ppo_mini_batch_size\` in prompts (× \`rollout.n\`
sequences) and splits batches evenly across GPUs. For ${o.nnodes * o.gpusPerNode} GPUs:

${checks}

Changing \`trainer.nnodes\` / \`trainer.n_gpus_per_node\` at launch changes these: re-export with
\`--gpus\` / \`--nodes\`, or check them again by hand.

## What to change for a real dataset and model

- **Dataset.** Rows need \`prompt\` (chat messages), \`data_source\`, \`reward_model.ground_truth\`
  and, for the critique prompt, \`extra_info.question\` (else the last user message is used).
  verl's \`examples/data_preprocess/gsm8k.py\` writes exactly that; point \`TRAIN_FILES\` /
  \`VAL_FILES\` at its parquet files. Ask for the final answer in \`\\boxed{}\` in the prompt, or
  keep GSM8K's \`####\` — \`reward_gcrl.extract_answer\` reads both, then the last number.
- **Verifier.** \`reward_gcrl.verify\` compares numbers (tolerance 1e-9) or normalised strings:
  enough for arithmetic and GSM8K. For competition math (MATH, AIME) replace its body with
  \`math_verify\` (\`pip install math-verify\`) or verl's \`verl.utils.reward_score.math_dapo\`; the
  rest of the file (Eqs. 1–6) stays.
- **Model.** \`MODEL_PATH\`; \`rollout.tensor_model_parallel_size\` and \`gpu_memory_utilization\`
  for its size; \`actor.optim.lr\` (the playground's ${c.grpo.lr} suits a tiny model; the paper used
  1e-6 for 7B); \`data.max_prompt_length\` must hold question + response + critique (refinement
  prompts; longer ones are left-truncated by the rollout) and \`data.max_response_length\` the
  longest critique. A reasoning model's \`<think>\` blocks are ignored by the verdict parser.
- **Prompts.** \`gcrl_prompts.py\`; keep the final \`Verdict: correct\` / \`Verdict: incorrect\` line or
  change \`reward_gcrl.parse_verdict\` with it.

## Known differences from the playground

- verl's GRPO and RLOO give a one-sample group its raw reward as advantage (the playground: 0).
- The balanced held-out critique set (\`eval/critic/*\`) is built from verl's validation set
  (\`data.val_max_samples\` questions) by the policy before training; on a resumed run it comes
  from the checkpoint's state (\`gcrl_state.json\`).
- With \`gcrl.skip_zero_variance\`, or a step batch that does not divide by the GPU count, the
  trainer trims the batch at random to a multiple of the GPU count (\`gcrl/trimmed\`).
- Sampling on GPUs is not bit-reproducible; the seeds are set, the runs are not identical.
`;
}
