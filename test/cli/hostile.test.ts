// Hostile arguments and checkpoints on the real CLI: each is refused with a clear message, exit code
// 2 for a bad call (1 for a bad checkpoint), before any work starts — no stack trace, no folder, no
// baseline evaluation. One spawn per case family, so the file stays fast.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const gcrl = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/gcrl.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const noStack = (err: string) => expect(err).not.toMatch(/\n\s+at /);

describe('gcrl refuses hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcrl-hostile-'));

  it('answers --help on every subcommand (and help <command>)', () => {
    for (const [cmd, flag] of [
      ['repro', '--help'],
      ['eval', '-h'],
    ]) {
      const r = gcrl(cmd as string, flag as string);
      expect(r.code, cmd).toBe(0);
      expect(r.out, cmd).toMatch(new RegExp(`^usage: gcrl ${cmd}`));
    }
    const h = gcrl('help', 'train');
    expect(h.out).toMatch(/grpo\.kl\s+one of k1, k2, k3 \(default "k3"\)/);
  });

  it('train: prototype names, unregistered names and unbounded sizes, all listed at once', () => {
    const r = gcrl(
      'train',
      '--preset',
      '__proto__',
      '--set',
      'grpo.kl=constructor',
      '--set',
      'grpo.advantage=k4',
      '--set',
      'rollout.questions=1e6',
      '--set',
      'grpo.epochs=1e9',
      '--set',
      'constructor=1',
      '--steps=-1',
    );
    expect(r.code).toBe(2);
    expect(r.out).toBe(''); // no baseline evaluation line
    noStack(r.err);
    for (const m of [
      /unknown preset "__proto__" \(valid: grl, crl-static/,
      /grpo\.kl must be one of k1, k2, k3 \(got "constructor"\)/,
      /grpo\.advantage must be one of grpo, drGrpo, rloo, median \(got "k4"\)/,
      /rollout\.questions must be an integer in \[1, 1024\] \(got 1000000\)/,
      /grpo\.epochs must be an integer in \[1, 16\] \(got 1000000000\)/,
      /unknown setting 'constructor'/,
      /--steps must be an integer in \[0, 100000\] \(got -1\)/,
    ])
      expect(r.err).toMatch(m);
    const c = gcrl('train', '--preset', 'constructor');
    expect(c.code).toBe(2);
    expect(c.err).toBe(
      'gcrl: unknown preset "constructor" (valid: grl, crl-static, crl-dynamic, gcrl, critique-rl, coldstart-only)\n',
    );
    const sizes = gcrl('train', '--set', 'rollout.questions=1024', '--set', 'rollout.n=64');
    expect(sizes.code).toBe(2);
    expect(sizes.err).toMatch(/rollout\.questions × rollout\.n \(65536\) exceeds 4096 sequences per step/);
  });

  it('repro: an unknown experiment fails before its output folder exists', () => {
    const out = join(dir, 'repro');
    const r = gcrl('repro', 'constructor', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown experiment "constructor" \(valid: label-balance, .*, all\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('coldstart: negative learning rate and shares, absurd model sizes, refused before training', () => {
    const out = join(dir, 'cs');
    const r = gcrl(
      'coldstart',
      '--out',
      out,
      '--set',
      'lr=-5',
      '--set',
      'mix.critique=-1',
      '--set',
      'model.nLayer=100000000',
      '--digits',
      '9',
    );
    expect(r.code).toBe(2);
    noStack(r.err);
    expect(r.err).toMatch(/lr must be a number in \[0, 1\] \(got -5\)/);
    expect(r.err).toMatch(/mix\.critique must be a number in \[0, 1\] \(got -1\)/);
    expect(r.err).toMatch(/model\.nLayer must be an integer in \[1, 48\] \(got 100000000\)/);
    expect(r.err).toMatch(/--digits must be an integer in \[1, 6\] \(got 9\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('eval: a config.json asking for 100 000 000 layers is refused at once, without allocating', () => {
    const ck = join(dir, 'huge');
    mkdirSync(ck);
    const cfg = JSON.parse(readFileSync('public/models/weak/config.json', 'utf8'));
    cfg.model.nLayer = 100_000_000;
    writeFileSync(join(ck, 'config.json'), JSON.stringify(cfg));
    writeFileSync(join(ck, 'model.safetensors'), readFileSync('public/models/weak/model.safetensors'));
    const r = gcrl('eval', '--checkpoint', ck);
    expect(r.code).toBe(1);
    noStack(r.err);
    expect(r.err).toMatch(
      /huge: checkpoint does not fit this model: model config: nLayer must be an integer in \[1, 48\] \(got 100000000\)/,
    );
  });
});
