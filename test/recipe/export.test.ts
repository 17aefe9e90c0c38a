// Reading a run or config file, the CLI (`gcrl export --recipe verl`), the folder guard and the page's tar.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tar } from '../../src/recipe/tar.js';
import { RECIPE_TEMPLATES } from '../../src/recipe/verl/build.js';
import { verlRecipeCommand } from '../../src/recipe/verl/cli.js';
import { exportVerlRecipe, REPO_ROOT } from '../../src/recipe/verl/export.js';
import { readConfigSource } from '../../src/recipe/verl/source.js';
import { TRAIN_DEFAULTS } from '../../src/rl/config.js';

const tmp = mkdtempSync(join(tmpdir(), 'gcrl-verl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const defaults = () => structuredClone(TRAIN_DEFAULTS);

describe('readConfigSource', () => {
  it('a `gcrl train --out` file: the config of its step-0 line', () => {
    const c = { ...defaults(), seed: 7 };
    const jsonl = `${JSON.stringify({ step: 0, 'eval/gen/acc': 0.1, config: c })}\n${JSON.stringify({ step: 1 })}\n`;
    const s = readConfigSource(jsonl, 'run.jsonl');
    expect(s.config.seed).toBe(7);
    expect(s.source).toBe('run.jsonl (line 1)');
    expect(s.filled).toEqual([]);
  });

  it('a page run export, and a bare config with missing settings filled from the defaults', () => {
    expect(
      readConfigSource(JSON.stringify({ name: 'r', config: defaults(), rows: [] }), 'r.json').config,
    ).toEqual(defaults());
    const partial = { ...defaults(), eval: undefined } as Record<string, unknown>;
    delete partial.eval;
    const s = readConfigSource(JSON.stringify(partial), 'c.json');
    expect(s.filled).toEqual(['eval']);
    expect(s.config.eval).toEqual(TRAIN_DEFAULTS.eval);
  });

  it('every problem is an error: unknown settings, bad values, files without a config', () => {
    expect(() => readConfigSource(JSON.stringify({ ...defaults(), warmup: 3 }), 'c.json')).toThrow(/warmup/);
    const bad = defaults();
    bad.rollout.n = 0;
    expect(() => readConfigSource(JSON.stringify(bad), 'c.json')).toThrow(/rollout\.n/);
    expect(() => readConfigSource('{"step": 1}\n{"step": 2}\n', 'm.jsonl')).toThrow(/no line has a "config"/);
    expect(() => readConfigSource('', 'e.json')).toThrow(/empty/);
    expect(() => readConfigSource('{"step":0}\nnot json\n', 'x.jsonl')).toThrow(/line 2 is not JSON/);
  });
});

describe('gcrl export --recipe verl', () => {
  it('writes the recipe from a run file, prints the paths, and --help prints the usage', async () => {
    const run = join(tmp, 'run.jsonl');
    writeFileSync(run, `${JSON.stringify({ step: 0, config: { ...defaults(), mode: 'critique-rl' } })}\n`);
    const out = join(tmp, 'from-run');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await verlRecipeCommand([
      '--recipe',
      'verl',
      '--run',
      run,
      '--out',
      out,
      '--gpus',
      '4',
      '--model',
      'org/model',
    ]);
    await verlRecipeCommand(['--recipe', 'verl', '--help']);
    const printed = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(printed).toContain(join(out, 'reward_gcrl.py'));
    expect(printed.at(-1)).toMatch(/^gcrl export --recipe verl/);
    const yaml = readFileSync(join(out, 'config/gcrl_trainer.yaml'), 'utf8');
    expect(yaml).toContain('mode: critique-rl');
    expect(yaml).toContain('n_gpus_per_node: 4');
    expect(yaml).toContain('path: org/model');
    expect(statSync(join(out, 'run_gcrl.sh')).mode & 0o111).not.toBe(0);
    const src = JSON.parse(readFileSync(join(out, 'gcrl_source.json'), 'utf8'));
    expect(src.config.mode).toBe('critique-rl');
    expect(readFileSync(join(out, 'data/train.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      TRAIN_DEFAULTS.task.trainSize,
    );
  });

  it("refuses bad arguments and a folder holding other files (never overwrites a user's files)", async () => {
    await expect(verlRecipeCommand(['--recipe', 'verl', '--out', join(tmp, 'x')])).rejects.toThrow(
      /exactly one of --run/,
    );
    const cfgFile = join(tmp, 'c.json');
    writeFileSync(cfgFile, JSON.stringify(defaults()));
    await expect(
      verlRecipeCommand(['--recipe', 'verl', '--config', cfgFile, '--out', join(tmp, 'y'), '--gpus', '0']),
    ).rejects.toThrow(/--gpus/);
    const busy = join(tmp, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    await expect(exportVerlRecipe({ config: defaults(), source: 't' }, busy)).rejects.toThrow(/not empty/);
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    const again = join(tmp, 'again');
    await exportVerlRecipe({ config: defaults(), source: 't' }, again);
    await exportVerlRecipe({ config: defaults(), source: 't' }, again); // re-export over an earlier recipe is fine
    expect(existsSync(join(again, 'gcrl_source.json'))).toBe(true);
  });

  it('the CLI copies every Python file the page does (recipes/verl/**/*.py)', () => {
    const onDisk = readdirSync(join(REPO_ROOT, 'recipes/verl'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.py') && !f.includes('__pycache__'))
      .sort();
    expect(onDisk).toEqual([...RECIPE_TEMPLATES].sort());
  });

  it('the gcrl binary dispatches --recipe verl', () => {
    const r = spawnSync(process.execPath, ['bin/gcrl.mjs', 'export', '--recipe', 'verl', '--help'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('gcrl export --recipe verl (--run RUN.jsonl | --config CONFIG.json)');
  });
});

describe('tar', () => {
  it('a system tar extracts what was written, long paths included', () => {
    const long = `${'deep/'.repeat(25)}file.txt`;
    const bytes = tar([
      { path: 'a/README.md', content: 'hello ünïcode\n' },
      { path: 'a/run.sh', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
      { path: `a/${long}`, content: 'x'.repeat(1000) },
      { path: 'a/empty', content: '' },
    ]);
    expect(bytes.length % 512).toBe(0);
    const file = join(tmp, 't.tar');
    writeFileSync(file, bytes);
    const dir = join(tmp, 'untar');
    mkdirSync(dir);
    const r = spawnSync('tar', ['-xf', file, '-C', dir], { encoding: 'utf8' });
    if (r.error) return; // no tar binary here: the header layout is still checked below
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'a/README.md'), 'utf8')).toBe('hello ünïcode\n');
    expect(readFileSync(join(dir, `a/${long}`), 'utf8')).toBe('x'.repeat(1000));
    expect(statSync(join(dir, 'a/run.sh')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, 'a/empty'), 'utf8')).toBe('');
  });

  it('refuses unsafe paths', () => {
    expect(() => tar([{ path: '../x', content: '' }])).toThrow(/unsafe/);
    expect(() => tar([{ path: '/etc/x', content: '' }])).toThrow(/unsafe/);
  });
});
