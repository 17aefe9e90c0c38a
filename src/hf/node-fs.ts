// Node-only: writing an export to disk and loading a model folder from disk through transformers.js.
// Browser code must never import this module (it uses node:fs).
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExportedFile } from './export.js';
import { type FolderReader, type HfEnvOptions, HfTextModel } from './tjs.js';

/** Writes the export's files under `dir` (each through a temporary file and a rename). */
export async function writeExport(dir: string, files: readonly ExportedFile[]): Promise<void> {
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, f.bytes);
    await rename(tmp, path);
  }
}

/** Reads files of a folder for the pre-flight check. */
export function folderReader(dir: string): FolderReader {
  const read = async (p: string): Promise<string | null> => {
    try {
      return await readFile(join(dir, p), 'utf8');
    } catch {
      return null;
    }
  };
  const has = async (p: string): Promise<boolean> => {
    try {
      return (await stat(join(dir, p))).isFile();
    } catch {
      return false;
    }
  };
  return { read, has };
}

/** True when `ref` names an existing folder (otherwise it is taken for a Hub id). */
export async function isFolder(ref: string): Promise<boolean> {
  try {
    return (await stat(ref)).isDirectory();
  } catch {
    return false;
  }
}

/** Loads a folder on disk (checked first) or, with allowRemote, a Hub id. */
export async function loadHfModel(
  ref: string,
  o: Omit<HfEnvOptions, 'localModelPath' | 'files'> & { dtype?: string } = {},
): Promise<HfTextModel> {
  if (await isFolder(ref)) {
    const dir = resolve(ref);
    return HfTextModel.load(basename(dir), { ...o, localModelPath: dirname(dir), folder: folderReader(dir) });
  }
  if (!o.allowRemote) {
    throw new Error(`${ref} is not a folder (a Hub id needs the network: allow remote models to use one)`);
  }
  return HfTextModel.load(ref, o);
}
