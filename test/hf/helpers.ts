// Shared by the Hugging Face tests: the shipped `weak` checkpoint exported into a temp folder once per file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkpoint } from '../../src/checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { exportHf } from '../../src/hf/export.js';
import { writeExport } from '../../src/hf/node-fs.js';

export const WEAK = 'public/models/weak';

export interface Exported {
  ck: Checkpoint;
  root: string; // temp folder holding the export
  dir: string; // the export itself: root/weak
  cleanup: () => Promise<void>;
}

export async function exportWeak(): Promise<Exported> {
  const ck = await loadCheckpointDir(WEAK);
  const root = await mkdtemp(join(tmpdir(), 'gcrl-hf-'));
  const dir = join(root, 'weak');
  await writeExport(dir, exportHf(ck, { name: 'weak' }));
  return { ck, root, dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
