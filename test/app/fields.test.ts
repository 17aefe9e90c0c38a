// The settings table stays in step with TrainConfig: unique keys, real paths, matching kinds, valid defaults, help everywhere.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ConfigPanel } from '../../app/controls/ConfigPanel';
import { matchingPreset } from '../../app/controls/RewardTableEditor';
import { FIELDS, GROUPS, getPath, parseFieldValue, setPath } from '../../app/state/fields';
import { FAMILIES } from '../../src/lm/tasks.js';
import { ADVANTAGE_NAMES, CRITIQUE_INPUT_NAMES, MODES, TRAIN_DEFAULTS } from '../../src/rl/config.js';
import { AGGREGATIONS, KL_ESTIMATORS } from '../../src/rl/grpo-graph.js';
import { REWARD_PRESETS } from '../../src/rl/rewards.js';

const leaves = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
const values = (path: string) => FIELDS.find((f) => f.path === path)?.options?.map((o) => o.value);

describe('FIELDS', () => {
  it('has unique url keys and paths', () => {
    expect(new Set(FIELDS.map((f) => f.url)).size).toBe(FIELDS.length);
    expect(new Set(FIELDS.map((f) => f.path)).size).toBe(FIELDS.length);
  });

  it('covers every leaf of TrainConfig, each path with the type its kind implies', () => {
    expect(FIELDS.map((f) => f.path).sort()).toEqual(leaves(TRAIN_DEFAULTS).sort());
    for (const f of FIELDS) {
      const v = getPath(TRAIN_DEFAULTS, f.path);
      const want = f.kind === 'enum' ? 'string' : f.kind === 'bool' ? 'boolean' : 'number';
      expect(typeof v, f.path).toBe(want);
      if (f.kind === 'int') expect(Number.isInteger(v), f.path).toBe(true);
    }
  });

  it('accepts every default (enum defaults among the options; the CLI base path aside)', () => {
    for (const f of FIELDS) {
      if (f.path === 'base') continue; // TRAIN_DEFAULTS.base is a CLI folder; the page supplies its list
      const v = getPath(TRAIN_DEFAULTS, f.path);
      const raw = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      expect(parseFieldValue(f, raw), f.path).toEqual({ ok: true, value: v });
    }
  });

  it('lists exactly the engine’s enum values', () => {
    expect(values('mode')).toEqual([...MODES]);
    expect(values('critique.input')).toEqual([...CRITIQUE_INPUT_NAMES]);
    expect(values('grpo.advantage')).toEqual([...ADVANTAGE_NAMES]);
    expect(values('task.family')).toEqual([...FAMILIES]);
    expect(values('grpo.kl')).toEqual(Object.keys(KL_ESTIMATORS));
    expect(values('grpo.aggregation')).toEqual(Object.keys(AGGREGATIONS));
    expect(values('base')).toEqual(['weak', 'medium']);
  });

  it('has help, a label and a known group for every field, and bounds for numbers', () => {
    const groups = GROUPS.map((g) => g.id);
    for (const f of FIELDS) {
      expect(f.help.trim().length, f.url).toBeGreaterThan(10);
      expect(f.label.trim(), f.url).not.toBe('');
      expect(groups, f.url).toContain(f.group);
      if (f.kind === 'int' || f.kind === 'number') expect(f.min, f.url).toBeTypeOf('number');
    }
  });
});

describe('getPath / setPath', () => {
  it('reads nested values and misses cleanly', () => {
    expect(getPath(TRAIN_DEFAULTS, 'grpo.lr')).toBe(3e-5);
    expect(getPath(TRAIN_DEFAULTS, 'grpo.nope.x')).toBeUndefined();
    expect(getPath(TRAIN_DEFAULTS, 'constructor')).toBeUndefined();
  });

  it('returns a new config and leaves the original (frozen) one alone', () => {
    const next = setPath(TRAIN_DEFAULTS, 'critique.reward.missing', -0.5);
    expect(next.critique.reward.missing).toBe(-0.5);
    expect(TRAIN_DEFAULTS.critique.reward.missing).toBe(0);
    expect(next.grpo).toBe(TRAIN_DEFAULTS.grpo); // untouched branches are shared
    expect(next.critique).not.toBe(TRAIN_DEFAULTS.critique);
  });
});

describe('ConfigPanel markup', () => {
  const render = (props: Partial<Parameters<typeof ConfigPanel>[0]> = {}) =>
    renderToStaticMarkup(
      createElement(ConfigPanel, {
        config: structuredClone(TRAIN_DEFAULTS),
        onChange: () => {},
        errors: [],
        ...props,
      }),
    );

  it('renders a labelled control with a described tooltip for every field', () => {
    const html = render();
    for (const f of FIELDS) {
      expect(html, f.url).toContain(`data-testid="cfg-${f.url}"`);
      expect(html, f.url).toContain(`id="help-${f.url}" role="tooltip"`);
      expect(html, f.url).toMatch(new RegExp(`aria-describedby="help-${f.url}"`));
    }
    for (const g of GROUPS) expect(html).toContain(`<legend>${g.legend}</legend>`);
    for (const n of Object.keys(REWARD_PRESETS)) expect(html).toContain(`data-testid="reward-preset-${n}"`);
    expect(html).toContain('data-testid="reward-correctRight"');
    expect(html).not.toContain('config-errors');
  });

  it('lists errors in an alert, disables everything on request, keeps an unlisted base visible', () => {
    const html = render({ errors: ['eval.questions too big'], disabled: true });
    expect(html).toMatch(/role="alert" data-testid="config-errors"/);
    expect(html).toContain('eval.questions too big');
    const controls = html.match(/<(input|select|button)\b[^>]*>/g) ?? [];
    expect(controls.length).toBeGreaterThan(FIELDS.length);
    for (const c of controls) expect(c).toContain('disabled');
    expect(html).toContain('<option value="public/models/weak" selected="">');
  });

  it('marks the reward preset the table equals', () => {
    expect(matchingPreset(TRAIN_DEFAULTS.critique.reward)).toBe('symmetric');
    expect(matchingPreset(REWARD_PRESETS.catchIncorrect)).toBe('catchIncorrect');
    expect(matchingPreset({ ...REWARD_PRESETS.acceptCorrect, missing: -1 })).toBeNull();
    expect(render()).toMatch(/aria-pressed="true" data-testid="reward-preset-symmetric"/);
  });
});
