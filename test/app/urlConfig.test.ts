// The URL hash round-trips every kind of setting and survives tampered, unknown and inconsistent links without throwing.
import { describe, expect, it } from 'vitest';
import { FIELDS, fieldByPath, getPath, setPath } from '../../app/state/fields';
import {
  decodeConfig,
  decodeConfigJson,
  decodeHash,
  encodeConfig,
  encodeHash,
} from '../../app/state/urlConfig';
import { configErrors, preset, SETTINGS, TRAIN_DEFAULTS, type TrainConfig } from '../../src/rl/config.js';
import { REWARD_PRESETS } from '../../src/rl/rewards.js';

const D = (): TrainConfig => structuredClone(TRAIN_DEFAULTS) as TrainConfig;
const with_ = (sets: Record<string, unknown>): TrainConfig =>
  Object.entries(sets).reduce<TrainConfig>((c, [p, v]) => setPath(c, p, v), D());

describe('encodeConfig', () => {
  it('is empty for the defaults', () => {
    expect(encodeConfig(D())).toBe('');
    expect(encodeHash(D())).toBe('');
  });

  it('writes only the differences, in table order, with short keys', () => {
    const c = with_({ seed: 3, 'grpo.lr': 1e-4, 'critique.input': 'random', mode: 'grl' });
    expect(encodeConfig(c)).toBe('mode=grl&seed=3&input=random&lr=0.0001');
  });

  it('writes booleans as 1/0 and keeps paths readable', () => {
    const c = with_({ 'grpo.skipZeroVariance': true, base: 'medium' });
    expect(encodeConfig(c)).toBe('base=medium&skip0=1');
    expect(encodeConfig(with_({ base: 'models/my run' }), with_({ 'grpo.skipZeroVariance': true }))).toBe(
      'base=models/my%20run&skip0=0',
    );
  });
});

describe('round trip', () => {
  const configs: Record<string, TrainConfig> = {
    presets: preset('critique-rl'),
    coldstart: preset('coldstart-only'),
    everyKind: with_({
      mode: 'crl-dynamic',
      base: 'medium',
      seed: 42,
      'task.family': 'mod',
      'task.digits': 3,
      'rollout.temperature': 0.7,
      'rollout.topP': 0.95,
      'critique.input': 'randomReweight',
      'critique.denoiseM': 2,
      'critique.reward': { ...REWARD_PRESETS.catchIncorrect, missing: -0.25, wrongWrong: -1 },
      'grpo.advantage': 'median',
      'grpo.grouping': 'mixed',
      'grpo.skipZeroVariance': true,
      'grpo.lr': 1e-7,
      'grpo.kl': 'k1',
      'grpo.klCoef': 0,
      'grpo.clipHigh': 0.28,
      'grpo.aggregation': 'seq-mean-token-sum',
      'eval.every': 0,
    }),
    allChanged: FIELDS.reduce<TrainConfig>((c, f) => {
      if (f.kind === 'bool') return setPath(c, f.path, true);
      if (f.kind === 'enum') return setPath(c, f.path, f.options?.at(-1)?.value);
      return setPath(c, f.path, f.max ?? 1);
    }, D()),
  };
  // every field at its maximum, except where the per-step sequence budget (MAX_SEQUENCES) binds
  for (const [path, v] of [
    ['eval.questions', 10],
    ['rollout.n', 4],
    ['critique.n', 2],
    ['critique.denoiseM', 1],
  ] as const)
    configs.allChanged = setPath(configs.allChanged as TrainConfig, path, v);

  for (const [name, cfg] of Object.entries(configs)) {
    it(`decodes ${name} back to the same config`, () => {
      expect(configErrors(cfg)).toEqual([]);
      const hash = encodeConfig(cfg);
      expect(hash).not.toBe('');
      expect(decodeConfig(hash)).toEqual({ config: cfg, errors: [] });
      expect(decodeConfig(`#${hash}`)).toEqual({ config: cfg, errors: [] });
    });
  }

  it('decodes the empty hash (and a bare #) to a fresh copy of the defaults', () => {
    for (const h of ['', '#', '#&&']) {
      const r = decodeConfig(h);
      expect(r).toEqual({ config: TRAIN_DEFAULTS, errors: [] });
      expect(r.config).not.toBe(TRAIN_DEFAULTS);
      expect(Object.isFrozen(r.config)).toBe(false);
    }
  });
});

describe('tampered links', () => {
  const cases: [string, string, string][] = [
    ['lr=abc', 'grpo.lr', '"abc"'],
    ['mode=evil', 'mode', '"evil"'],
    ['digits=2.5', 'task.digits', '"2.5"'],
    ['n=-1', 'rollout.n', '"-1"'],
    ['lr=', 'grpo.lr', '""'],
    ['lr=0x10', 'grpo.lr', '"0x10"'],
    ['lr=Infinity', 'grpo.lr', '"Infinity"'],
    ['topp=2', 'rollout.topP', '"2"'],
    ['skip0=yes', 'grpo.skipZeroVariance', '"yes"'],
    ['base=../../etc', 'base', '"../../etc"'],
    ['mode=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'mode', '"<script>alert(1)</script>"'],
  ];
  for (const [hash, path, shown] of cases) {
    it(`rejects ${hash} naming the key, the value and what is allowed`, () => {
      const key = hash.split('=')[0] as string;
      const r = decodeConfig(`#seed=7&${hash}`);
      expect(r.config).toEqual(with_({ seed: 7 })); // the bad key keeps its default, the rest applies
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toContain(`'${key}'`);
      expect(r.errors[0]).toContain(shown);
      expect(r.errors[0]).toMatch(/one of|integer|number|1 or 0/);
      expect(getPath(r.config, path)).toEqual(getPath(TRAIN_DEFAULTS, path));
    });
  }

  it('lists what an enum allows and the range of a number', () => {
    expect(decodeConfig('mode=evil').errors[0]).toContain(
      'one of grl, crl-static, crl-dynamic, gcrl, critique-rl, coldstart-only',
    );
    expect(decodeConfig('n=-1').errors[0]).toContain('an integer in [2, 64]');
  });

  it('never throws on malformed percent-encoding or junk', () => {
    for (const h of ['%E0%A4%A', 'lr=%E0%A4%A', '%=%', '<script>', '=1', 'a=b=c', '&&=&', '#%', 'seed']) {
      const r = decodeConfig(h);
      expect(r.config).toEqual(TRAIN_DEFAULTS);
      expect(r.errors.length, h).toBeGreaterThan(0);
    }
    expect(decodeConfig('lr=%E0%A4%A').errors[0]).toMatch(/'lr'.*percent-encoding/);
  });

  it('reports unknown keys and ignores them', () => {
    const r = decodeConfig('xyz=1&seed=2');
    expect(r.config).toEqual(with_({ seed: 2 }));
    expect(r.errors).toEqual(["unknown setting 'xyz' (ignored)"]);
  });

  it('uses the last of a repeated key and says so', () => {
    const r = decodeConfig('seed=2&seed=5');
    expect(r.config.seed).toBe(5);
    expect(r.errors[0]).toMatch(/'seed' appears more than once/);
  });

  it('falls back to the defaults when the settings are inconsistent together', () => {
    const r = decodeConfig('heldout=64&evalq=128&seed=9');
    expect(r.config).toEqual(TRAIN_DEFAULTS);
    expect(r.errors).toEqual([
      "the link's settings are inconsistent: eval.questions (128) exceeds task.heldOutSize (64)",
    ]);
  });

  it('accepts base checkpoints from the page’s own list', () => {
    const opts = { baseOptions: [{ value: 'mine', label: 'my checkpoint' }] };
    expect(decodeConfig('base=mine', TRAIN_DEFAULTS, opts).config.base).toBe('mine');
    expect(decodeConfig('base=medium', TRAIN_DEFAULTS, opts).errors).toHaveLength(1);
  });
});

describe('extras', () => {
  it('passes the page’s own keys through, decoded, and not as errors', () => {
    const r = decodeHash('#mode=grl&run=abc%20123&view=charts&exp=table2');
    expect(r.errors).toEqual([]);
    expect(r.config).toEqual(with_({ mode: 'grl' }));
    expect(r.extras).toEqual({ run: 'abc 123', view: 'charts', exp: 'table2' });
    expect(decodeConfig('#run=x').errors).toEqual([]);
  });

  it('encodes config then extras, round-tripping both', () => {
    const cfg = with_({ 'grpo.lr': 1e-4 });
    const h = encodeHash(cfg, { view: 'charts', run: 'r 1' });
    expect(h).toBe('lr=0.0001&run=r%201&view=charts');
    expect(decodeHash(h)).toEqual({ config: cfg, errors: [], extras: { run: 'r 1', view: 'charts' } });
    expect(encodeHash(D(), { exp: 'fig5' })).toBe('exp=fig5');
  });

  it('keeps extras when the config part is broken', () => {
    const r = decodeHash('lr=abc&run=7');
    expect(r.extras).toEqual({ run: '7' });
    expect(r.errors).toHaveLength(1);
  });
});

describe('hostile links (issue 10)', () => {
  it("refuses the form's old maxima, which overflowed the stack at step 1", () => {
    const { config, errors } = decodeConfig('q=1024&n=64&pairs=1024&cn=64');
    expect(config).toEqual(TRAIN_DEFAULTS);
    expect(errors).toEqual([
      "the link's settings are inconsistent: rollout.questions × rollout.n (65536) exceeds 4096 sequences per step",
      "the link's settings are inconsistent: critique.pairs × critique.n × (1 + critique.denoiseM) (65536) exceeds 4096 sequences per step",
    ]);
  });

  it('refuses prototype names as keys and as values', () => {
    const { config, errors } = decodeConfig(
      'constructor=1&__proto__=1&klest=constructor&adv=toString&epochs=1e9',
    );
    expect(config).toEqual(TRAIN_DEFAULTS);
    expect(errors).toEqual([
      "unknown setting 'constructor' (ignored)",
      "unknown setting '__proto__' (ignored)",
      '\'klest\': "constructor" is not allowed (one of k1, k2, k3); keeping the default k3',
      '\'adv\': "toString" is not allowed (one of grpo, drGrpo, rloo, median); keeping the default grpo',
      '\'epochs\': "1e9" is not allowed (an integer in [1, 16]); keeping the default 1',
    ]);
  });

  it("the form's bounds and choices are the schema's", () => {
    for (const [path, s] of Object.entries(SETTINGS)) {
      const f = fieldByPath(path);
      expect(f, path).toBeDefined();
      if (s.kind === 'int' || s.kind === 'number')
        expect([f?.kind, f?.min, f?.max], path).toEqual([s.kind, s.min, s.max]);
      if (s.kind === 'enum')
        expect(
          f?.options?.map((o) => o.value),
          path,
        ).toEqual(s.values);
    }
  });
});

describe('config JSON import (issue 10)', () => {
  const json = (v: unknown) => decodeConfigJson(JSON.stringify(v));
  it('refuses true for a number, [7] for a number and null, keeping the defaults', () => {
    for (const [v, msg] of [
      [{ steps: true }, 'steps must be an integer in [0, 100000] (got true)'],
      [{ grpo: { epochs: [7] } }, 'grpo.epochs must be an integer in [1, 16] (got [7])'],
      [null, 'a config must be a JSON object (got null)'],
      [{ grpo: { kl: 'constructor' } }, 'grpo.kl must be one of k1, k2, k3 (got "constructor")'],
      [{ extra: 1 }, "unknown setting 'extra'"],
    ] as const) {
      expect(json(v), JSON.stringify(v)).toEqual({ config: TRAIN_DEFAULTS, errors: [msg] });
    }
    expect(decodeConfigJson('{"steps": ').errors[0]).toMatch(/^not JSON: /);
  });

  it("checks the base against the page's list and round-trips an exported config", () => {
    const base = json({ base: '../../etc/passwd' });
    expect(base.errors).toEqual([
      '\'base\': "../../etc/passwd" is not allowed (one of weak, medium, public/models/weak)',
    ]);
    const page = { ...preset('grl'), base: 'medium' };
    expect(decodeConfigJson(JSON.stringify(page, null, 2))).toEqual({ config: page, errors: [] });
  });
});
