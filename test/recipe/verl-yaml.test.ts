// The exported yaml against the pinned verl commit: every key it sets exists in that commit's generated
// trainer config (or is the recipe's own, listed here), and every verl name the Python imports exists there.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVerlRecipe, CONFIG_NAME } from '../../src/recipe/verl/build.js';
import { loadTemplates, REPO_ROOT } from '../../src/recipe/verl/export.js';
import { VERL_COMMIT } from '../../src/recipe/verl/pin.js';
import { yamlKeyPaths } from '../../src/recipe/verl/yaml.js';
import { PRESETS, type PresetName, preset } from '../../src/rl/config.js';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/verl/_generated_ppo_trainer.yaml');
const generated = readFileSync(FIXTURE, 'utf8');
const verlKeys = new Set(yamlKeyPaths(generated));
const symbols = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/verl/verl-symbols.json'), 'utf8')) as {
  commit: string;
  modules: Record<string, string[] | null>;
  RayPPOTrainer: string[];
  BaseTaskRunner: string[];
};

/** Keys the recipe adds on purpose: Hydra's own, the recipe's section, and the kwargs verl passes through. */
const RECIPE_KEYS = [
  /^hydra(\.|$)/,
  /^defaults$/,
  /^gcrl(\.|$)/,
  /^reward\.custom_reward_function\.reward_kwargs(\.|$)/,
];

const templates = await loadTemplates();
const yamlOf = (name: PresetName) =>
  (buildVerlRecipe({ config: preset(name), source: name }, templates).find((f) => f.path === CONFIG_NAME)
    ?.content ?? '') as string;

describe('the recipe yaml against verl', () => {
  it("the fixture is the pinned commit's generated config", () => {
    expect(generated.split('\n', 2)[0]).toContain(
      `/blob/${VERL_COMMIT}/verl/trainer/config/_generated_ppo_trainer.yaml`,
    );
    expect(symbols.commit).toBe(VERL_COMMIT);
    expect(verlKeys.size).toBeGreaterThan(900);
    expect(verlKeys.has('actor_rollout_ref.actor.kl_loss_type')).toBe(true);
  });

  it.each(Object.keys(PRESETS) as PresetName[])('%s: every key exists at the pinned commit', (name) => {
    const paths = yamlKeyPaths(yamlOf(name));
    expect(paths.length).toBeGreaterThan(50);
    const unknown = paths.filter((p) => !verlKeys.has(p) && !RECIPE_KEYS.some((r) => r.test(p)));
    expect(unknown).toEqual([]);
  });

  it('each key it sets is a leaf there too (no mapping overwritten by a scalar)', () => {
    const leaves = yamlKeyPaths(yamlOf('gcrl')).filter((p, i, all) => !all[i + 1]?.startsWith(`${p}.`));
    const prefixes = (k: string) =>
      k
        .split('.')
        .slice(1)
        .map((_, i) =>
          k
            .split('.')
            .slice(0, i + 1)
            .join('.'),
        );
    const parents = new Set([...verlKeys].flatMap(prefixes));
    const clobbered = leaves.filter(
      (p) => verlKeys.has(p) && parents.has(p) && !RECIPE_KEYS.some((r) => r.test(p)),
    );
    expect(clobbered).toEqual([]);
  });
});

describe('verl API at the pinned commit (test/fixtures/verl/verl-symbols.json)', () => {
  const files = readdirSync(join(REPO_ROOT, 'recipes/verl')).filter((f) => f.endsWith('.py'));
  const src = files.map((f) => [f, readFileSync(join(REPO_ROOT, 'recipes/verl', f), 'utf8')] as const);

  it('every `from verl… import name` resolves', () => {
    const missing: string[] = [];
    for (const [f, text] of src) {
      for (const m of text.matchAll(/^\s*from (verl[\w.]*) import ([^\n(]+)$/gm)) {
        const names =
          (m[2] as string)
            .split('#')[0]
            ?.split(',')
            .map((x) => x.trim().split(' as ')[0] as string) ?? [];
        const have = symbols.modules[m[1] as string];
        if (!have) missing.push(`${f}: module ${m[1]} (re-run test/recipe/extract_verl_symbols.py)`);
        else for (const n of names) if (n && !have.includes(n)) missing.push(`${f}: ${m[1]}.${n}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('GCRLTaskRunner calls only methods BaseTaskRunner has', () => {
    const text = src.find(([f]) => f === 'main_gcrl.py')?.[1] ?? '';
    const called = [...new Set([...text.matchAll(/self\.(\w+)\(/g)].map((m) => m[1] as string))];
    expect(called.length).toBeGreaterThan(4);
    expect(called.filter((m) => !symbols.BaseTaskRunner.includes(m))).toEqual([]);
  });

  it('RayGCRLTrainer uses only members RayPPOTrainer has (or defines them itself)', () => {
    const text = src.find(([f]) => f === 'gcrl_ray_trainer.py')?.[1] ?? '';
    const own = new Set(
      [...text.matchAll(/def (\w+)\(/g), ...text.matchAll(/self\.(\w+) = /g)].map((m) => m[1]),
    );
    const used = new Set([...text.matchAll(/self\.(\w+)/g)].map((m) => m[1] as string));
    const unknown = [...used].filter((u) => !own.has(u) && !symbols.RayPPOTrainer.includes(u));
    expect(unknown).toEqual([]);
    for (const m of ['_get_gen_batch', '_compute_old_log_prob', '_update_actor', 'async_rollout_manager'])
      expect(symbols.RayPPOTrainer).toContain(m);
  });
});
