// The gcrl command line end to end: a tiny cold start writes a loadable checkpoint with a README,
// eval prints the metrics as JSON, and bad calls fail with clear messages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpointDir, saveCheckpointDir } from '../../src/checkpoint/node-fs.js';
import type { HostTensor } from '../../src/engine/dtype.js';

const gcrl = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/gcrl.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const tiny = [
  '--set',
  'model.dModel=16',
  '--set',
  'model.nHead=2',
  '--set',
  'model.dMlp=32',
  '--set',
  'model.nLayer=1',
];

/** A 4-step cold start of the tiny model into `dir` (seed 3). */
const tinyColdstart = (dir: string) => [
  'coldstart',
  '--out',
  dir,
  '--steps',
  '4',
  '--seed',
  '3',
  ...tiny,
  '--set',
  'batch=8',
  '--set',
  'task.heldOutSize=16',
];

describe('gcrl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcrl-'));
  const out = join(dir, 'tiny');

  it('coldstart writes a checkpoint folder with a README of its figures', () => {
    const r = gcrl(...tinyColdstart(out));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/generation accuracy \(greedy\)/);
    for (const f of ['config.json', 'model.safetensors', 'README.md'])
      expect(existsSync(join(out, f))).toBe(true);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(cfg.provenance).toMatchObject({ seed: 3, steps: 4 });
    expect(cfg.provenance.command).toContain('--steps 4');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(cfg.provenance.command);
  });

  it('eval --json prints the flat eval/ metrics', () => {
    const r = gcrl('eval', '--checkpoint', out, '--json', '--samples', '1');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out);
    for (const k of [
      'eval/gen/acc',
      'eval/gen/acc_sampled',
      'eval/critic/acc',
      'eval/critic/precision',
      'eval/critic/alpha',
      'eval/critic/beta',
    ]) {
      expect(k in m).toBe(true);
    }
    expect(m['eval/gen/acc']).toBeGreaterThanOrEqual(0);
    expect(m['eval/gen/acc']).toBeLessThanOrEqual(1);
  });

  it('the same seed rebuilds the same weights', () => {
    const again = join(dir, 'again');
    gcrl(...tinyColdstart(again), '--no-eval');
    expect(
      readFileSync(join(again, 'model.safetensors')).equals(readFileSync(join(out, 'model.safetensors'))),
    ).toBe(true);
  });

  it('rejects bad calls and malformed checkpoints with clear messages', () => {
    const bad = gcrl('coldstart', '--out', join(dir, 'x'), '--set', 'model.width=3', '--set', 'lr=fast');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown setting 'model.width'/);
    expect(bad.err).toMatch(/lr must be a number in \[0, 1\] \(got "fast"\)/);
    expect(gcrl('frobnicate').err).toMatch(/unknown command 'frobnicate'/);
    const broken = join(dir, 'broken');
    gcrl('coldstart', '--out', broken, '--steps', '1', ...tiny, '--set', 'batch=4', '--no-eval');
    writeFileSync(join(broken, 'model.safetensors'), 'not a safetensors file');
    const r = gcrl('eval', '--checkpoint', broken);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/gcrl: .*broken/);
  });

  it('train streams one JSON line of flat metrics per step', () => {
    const log = join(dir, 'run.jsonl');
    const r = gcrl(
      'train',
      '--preset',
      'gcrl',
      '--steps',
      '2',
      '--set',
      'rollout.questions=4',
      '--set',
      'critique.pairs=4',
      '--set',
      'eval.every=0',
      '--out',
      log,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([0, 1, 2]);
    expect(lines[0].config.rollout.questions).toBe(4);
    for (const k of [
      'gen/acc',
      'critic/acc',
      'critic/precision',
      'critic/recall',
      'actor/loss',
      'time/rollout1',
    ])
      expect(k in lines[2]).toBe(true);
    const bad = gcrl('train', '--set', 'rollout.n=1', '--set', 'grpo.advantage=ppo', '--steps', '1');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/rollout\.n[\s\S]*grpo\.advantage/);
  });

  it('refuses a checkpoint with NaN weights before any work, naming the tensor', async () => {
    const ck = await loadCheckpointDir('public/models/weak');
    const w = ck.weights.get('h0.mlp.w2') as HostTensor;
    ck.weights.set('h0.mlp.w2', { ...w, data: new Float32Array(w.data.length).fill(Number.NaN) });
    const poisoned = join(dir, 'nan');
    await saveCheckpointDir(poisoned, ck);
    const log = join(dir, 'nan.jsonl');
    const r = gcrl('train', '--base', poisoned, '--steps', '3', '--set', 'eval.questions=8', '--out', log);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/gcrl: .*tensor h0\.mlp\.w2 has 16384 non-finite values \(first: NaN at index 0\)/);
    expect(existsSync(log)).toBe(false); // refused before the baseline evaluation
    const e = gcrl('eval', '--checkpoint', poisoned);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/nan: checkpoint does not fit this model: tensor h0\.mlp\.w2 has 16384 non-finite/);
  });
});
