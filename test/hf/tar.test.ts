// The .tar the page downloads: round trip, and the system tar unpacks it into the model folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderRoot, memoryReader, modelFolderProblems } from '../../src/hf/folder-check.js';
import { readTar, writeTar } from '../../src/hf/tar.js';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
const entries = [
  { path: 'weak/config.json', bytes: new TextEncoder().encode('{"model_type":"gpt2"}') },
  { path: 'weak/onnx/model.onnx', bytes: bytes(1537, 1) },
  { path: 'weak/empty.txt', bytes: new Uint8Array(0) },
  { path: `weak/${'d'.repeat(90)}/${'f'.repeat(60)}.bin`, bytes: bytes(512, 2) }, // > 100 chars: ustar prefix
];

describe('tar', () => {
  it('round-trips files, sizes and long paths', () => {
    const tar = writeTar(entries, 0);
    expect(tar.length % 512).toBe(0);
    expect(readTar(tar)).toEqual(entries);
  });

  it('unpacks with the system tar', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcrl-tar-'));
    writeFileSync(join(dir, 'x.tar'), writeTar(entries));
    execFileSync('tar', ['xf', 'x.tar'], { cwd: dir });
    for (const e of entries) expect(new Uint8Array(readFileSync(join(dir, e.path)))).toEqual(e.bytes);
  });

  it('fails clearly on damage, and finds the model folder inside the archive', async () => {
    const tar = writeTar(entries);
    tar[10] = (tar[10] as number) ^ 1;
    expect(() => readTar(tar)).toThrow(/bad header checksum/);
    expect(() => readTar(writeTar(entries).slice(0, 2000))).toThrow(/is cut off/);
    const root = folderRoot(entries);
    expect(root.map((e) => e.path)).toContain('onnx/model.onnx');
    const r = memoryReader(root);
    expect(await modelFolderProblems(r.read, r.has)).toEqual([
      'config.json (gpt2) lacks n_layer, n_head, n_embd, vocab_size, eos_token_id',
      'missing tokenizer.json',
      'missing tokenizer_config.json',
    ]);
  });
});
