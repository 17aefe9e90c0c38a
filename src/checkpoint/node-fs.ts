// Node-only: checkpoint folders on disk. Browser code must never import this module (it uses node:fs).
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Checkpoint,
  CheckpointError,
  type CheckpointExpect,
  CONFIG_FILE,
  parseCheckpoint,
  serializeCheckpoint,
  WEIGHTS_FILE,
} from './checkpoint.js';

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Writes `dir/config.json` (pretty-printed) and `dir/model.safetensors`, creating `dir` if needed. */
export async function saveCheckpointDir(dir: string, ck: Checkpoint): Promise<void> {
  const { configJson, weights } = serializeCheckpoint(ck);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new CheckpointError(`cannot create checkpoint folder ${dir}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  // Weights first, config last: a folder with a config.json holds a complete checkpoint.
  await writeAtomic(join(dir, WEIGHTS_FILE), weights);
  await writeAtomic(join(dir, CONFIG_FILE), configJson);
}

/** Reads and validates a checkpoint folder; errors name the folder or file at fault. */
export async function loadCheckpointDir(dir: string, expect?: CheckpointExpect): Promise<Checkpoint> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(dir);
  } catch (e) {
    if (errCode(e) === 'ENOENT')
      throw new CheckpointError(`checkpoint folder not found: ${dir}`, { cause: e });
    throw new CheckpointError(`cannot read checkpoint folder ${dir}: ${(e as Error).message}`, { cause: e });
  }
  if (!st.isDirectory()) {
    throw new CheckpointError(
      `checkpoint path ${dir} is not a folder (expected a folder with ${CONFIG_FILE} and ${WEIGHTS_FILE})`,
    );
  }
  const read = async <T>(file: string, f: (p: string) => Promise<T>): Promise<T> => {
    const path = join(dir, file);
    try {
      return await f(path);
    } catch (e) {
      if (errCode(e) === 'ENOENT') {
        throw new CheckpointError(`checkpoint folder ${dir} has no ${file} (looked for ${path})`, {
          cause: e,
        });
      }
      throw new CheckpointError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
    }
  };
  const configJson = await read(CONFIG_FILE, (p) => readFile(p, 'utf8'));
  const weights = await read(WEIGHTS_FILE, (p) => readFile(p));
  try {
    return parseCheckpoint(configJson, weights, expect);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`${dir}: ${e.message}`, { cause: e });
    throw e;
  }
}
