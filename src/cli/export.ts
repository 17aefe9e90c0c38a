// `gcrl export`: a checkpoint folder (or .gcrl.safetensors bundle) as a Hugging Face model folder
// that transformers.js and Python transformers load; `--recipe NAME` hands off to a recipe exporter.
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Checkpoint, unpackCheckpoint } from '../checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../checkpoint/node-fs.js';
import { EXPORT_FILES, exportHf } from '../hf/export.js';
import { writeExport } from '../hf/node-fs.js';
import { VERL_OPTIONS, VERL_USAGE, verlRecipeCommand } from '../recipe/verl/cli.js';
import { UsageError } from './args.js';

export const EXPORT_USAGE = `gcrl export --checkpoint DIR|FILE.gcrl.safetensors --out DIR [--name NAME]
             gcrl export --recipe verl ...   (a training recipe for another framework; see its --help)
  writes a Hugging Face model folder: ${EXPORT_FILES.join(', ')}
  load it with transformers.js pipeline('text-generation', …) or Python GPT2LMHeadModel (docs/huggingface.md)
       ${VERL_USAGE}`;

/** The options `gcrl export` accepts (a recipe adds its own here). */
export const EXPORT_OPTIONS = {
  checkpoint: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  recipe: { type: 'string' },
  ...VERL_OPTIONS,
} as const;

/** A recipe exporter: receives the command's arguments (after `export`). */
export type RecipeExporter = (argv: string[]) => Promise<void>;

// Recipe dispatch: one entry per recipe. null = not built into this version.
const RECIPES: Record<string, RecipeExporter | null> = {
  verl: verlRecipeCommand, // src/recipe/verl/cli.ts
};

async function loadAny(path: string): Promise<Checkpoint> {
  const st = await stat(path).catch(() => null);
  if (st?.isFile()) return unpackCheckpoint(new Uint8Array(await readFile(path)));
  return loadCheckpointDir(path);
}

export async function exportCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { ...EXPORT_OPTIONS, help: { type: 'boolean', short: 'h' } },
    strict: !argv.includes('--recipe'), // a recipe parses its own options
  });
  if (values.help && !values.recipe) {
    console.log(EXPORT_USAGE);
    return;
  }
  if (values.recipe !== undefined) {
    const recipe = String(values.recipe);
    if (!(recipe in RECIPES))
      throw new UsageError(`unknown --recipe '${recipe}' (recipes: ${Object.keys(RECIPES).join(', ')})`);
    const run = RECIPES[recipe];
    if (!run) throw new UsageError(`--recipe ${recipe} is not available in this build`);
    return run(argv);
  }
  const { checkpoint, out, name } = values as { checkpoint?: string; out?: string; name?: string };
  if (!checkpoint) throw new UsageError(`export needs --checkpoint\n${EXPORT_USAGE}`);
  if (!out) throw new UsageError(`export needs --out DIR\n${EXPORT_USAGE}`);
  const ck = await loadAny(checkpoint);
  const files = exportHf(ck, { name });
  await writeExport(out, files);
  for (const f of files) console.log(`${String(f.bytes.length).padStart(10)}  ${out}/${f.path}`);
}
