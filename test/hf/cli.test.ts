// `gcrl export` and `gcrl probe` end to end: help, a folder from a checkpoint folder and from a
// bundle, the probe's JSON metrics, and clear failures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { EXPORT_FILES } from '../../src/hf/export.js';
import { WEAK } from './helpers.js';

const gcrl = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/gcrl.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('gcrl export / probe', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gcrl-hf-cli-'));

  it('--help describes both commands', () => {
    expect(gcrl('export', '--help').out).toMatch(/--checkpoint DIR\|FILE\.gcrl\.safetensors --out DIR/);
    expect(gcrl('probe', '--help').out).toMatch(/--model DIR\|HUB_ID/);
  });

  it('exports a folder and a bundle to the same files; probe prints JSON metrics', async () => {
    const a = join(tmp, 'a');
    const r = gcrl('export', '--checkpoint', WEAK, '--out', a);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const f of EXPORT_FILES) expect(existsSync(join(a, f)), f).toBe(true);
    const bundle = join(tmp, 'weak.gcrl.safetensors');
    writeFileSync(bundle, packCheckpoint(await loadCheckpointDir(WEAK)));
    const b = join(tmp, 'b');
    expect(gcrl('export', '--checkpoint', bundle, '--out', b).code).toBe(0);
    for (const f of ['onnx/model.onnx', 'model.safetensors', 'tokenizer.json'])
      expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);

    const p = gcrl('probe', '--model', a, '--limit', '8', '--ratio', '0.25', '--json');
    expect(p.code).toBe(0);
    const m = JSON.parse(p.out) as Record<string, number>;
    expect(m['probe/n']).toBe(16);
    expect(m['probe/confusion/tp'] + m['probe/confusion/fn'] + m['probe/confusion/none_on_correct']).toBe(8);
    expect(m['probe/pred/pull']).toBeCloseTo(-0.25, 10);
  });

  it('fails clearly: missing arguments, bad ratio, an incomplete folder', () => {
    const r = gcrl('export', '--out', join(tmp, 'x'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/export needs --checkpoint/);
    expect(gcrl('probe', '--model', WEAK, '--ratio', '2').err).toMatch(/--ratio: bad value '2'/);
    // A playground checkpoint folder is not a Hugging Face folder: the probe names what is missing.
    const bad = gcrl('probe', '--model', WEAK);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/missing tokenizer\.json; missing tokenizer_config\.json/);
  });
});
