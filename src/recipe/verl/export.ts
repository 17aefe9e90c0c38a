// Node side of the verl export: reads the Python templates from recipes/verl/ and writes a recipe folder.
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildVerlRecipe,
  GOLDEN_FIXTURE,
  RECIPE_TEMPLATES,
  type RecipeInput,
  type Templates,
} from './build.js';

/** The repository root (this file is src/recipe/verl/export.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** recipes/verl/* and the golden reward cases, keyed as buildVerlRecipe expects. */
export async function loadTemplates(root = REPO_ROOT): Promise<Templates> {
  const out: Templates = {};
  for (const t of RECIPE_TEMPLATES) out[t] = await readFile(join(root, 'recipes/verl', t), 'utf8');
  out[GOLDEN_FIXTURE] = await readFile(join(root, GOLDEN_FIXTURE), 'utf8');
  return out;
}

/** Refuses a folder that holds anything but an earlier recipe, so an export never overwrites a user's files. */
async function checkOutDir(outDir: string): Promise<void> {
  const s = await stat(outDir).catch(() => null);
  if (!s) return;
  if (!s.isDirectory()) throw new Error(`${outDir} exists and is not a folder`);
  const names = await readdir(outDir);
  if (names.length && !names.includes('gcrl_source.json'))
    throw new Error(
      `${outDir} is not empty and holds no earlier recipe (gcrl_source.json): choose an empty or new folder`,
    );
}

/** Writes the recipe for `input.config` into `outDir`; returns the written paths. */
export async function exportVerlRecipe(input: RecipeInput, outDir: string): Promise<string[]> {
  const files = buildVerlRecipe(input, await loadTemplates());
  await checkOutDir(outDir);
  const written: string[] = [];
  for (const f of files) {
    const path = join(outDir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
    if (f.mode) await chmod(path, f.mode);
    written.push(path);
  }
  return written;
}
