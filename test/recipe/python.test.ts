// The recipe's Python, checked without verl or a GPU: every file compiles, the reward and data-path unit tests
// pass against the TypeScript golden numbers, in the repo and in an exported recipe. Skips without python3.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportVerlRecipe, REPO_ROOT } from '../../src/recipe/verl/export.js';
import { TRAIN_DEFAULTS } from '../../src/rl/config.js';

/** Debian's python3 first (what the checks are meant for), then whatever python3 is on PATH. */
const PY = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['--version']).status === 0);
if (!PY)
  console.warn(
    "test/recipe/python.test.ts: skipped — no python3 on this machine (the recipe's Python is unchecked)",
  );

const RECIPE = join(REPO_ROOT, 'recipes/verl');
const tmp = mkdtempSync(join(tmpdir(), 'gcrl-verl-py-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function py(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(PY as string, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { ok: r.status === 0, out: `${r.stdout}\n${r.stderr}` };
}

const pyFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.py') && !f.includes('__pycache__'))
    .map((f) => join(dir, f));

/** py_compile each file (bytecode to a temp folder, so the tree stays clean); returns the failures. */
function compileAll(files: string[]): string {
  const code = `import py_compile, sys, os
bad = []
for i, f in enumerate(sys.argv[1:]):
    try:
        py_compile.compile(f, cfile=os.path.join(${JSON.stringify(tmp)}, f"{i}.pyc"), doraise=True)
    except py_compile.PyCompileError as e:
        bad.append(str(e))
print("\\n".join(bad))
sys.exit(1 if bad else 0)`;
  const r = py(['-c', code, ...files]);
  return r.ok ? '' : r.out;
}

describe.skipIf(!PY)('verl recipe Python (no verl, no GPU)', () => {
  it('every Python file compiles (py_compile)', () => {
    const files = [...pyFiles(RECIPE), ...pyFiles(join(REPO_ROOT, 'test/recipe'))];
    expect(files.length).toBeGreaterThanOrEqual(9);
    expect(compileAll(files)).toBe('');
  });

  it('reward_gcrl matches the golden cases from src/rl/rewards.ts; gcrl_core unit tests pass', () => {
    const r = py(['-m', 'unittest', 'discover', '-s', 'tests', '-v'], RECIPE);
    expect(r.out).toMatch(/Ran \d+ tests/);
    expect(r.ok, r.out).toBe(true);
    expect(r.out).toContain('test_eq3_weighted');
  });

  it('the reward module imports nothing beyond the standard library', () => {
    const r = py(
      [
        '-c',
        'import sys; sys.path.insert(0, "."); import reward_gcrl, gcrl_core, gcrl_prompts; print(sorted(m for m in sys.modules if m.split(".")[0] in ("verl", "torch", "numpy", "ray")))',
      ],
      RECIPE,
    );
    expect(r.ok, r.out).toBe(true);
    expect(r.out.trim()).toBe('[]');
  });

  it('an exported recipe carries its tests and golden cases, compiles, and its run script parses', async () => {
    const out = join(tmp, 'recipe');
    await exportVerlRecipe({ config: structuredClone(TRAIN_DEFAULTS), source: 'test' }, out);
    expect(compileAll(pyFiles(out))).toBe('');
    const r = py(['-m', 'unittest', 'discover', '-s', 'tests'], out);
    expect(r.ok, r.out).toBe(true);
    const sh = spawnSync('bash', ['-n', join(out, 'run_gcrl.sh')], { encoding: 'utf8' });
    expect(sh.status, sh.stderr).toBe(0);
  });
});
