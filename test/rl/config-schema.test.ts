// The settings schema (src/rl/config.ts over src/util/schema.ts): names from the registries' own
// keys, own-property lookups only, strict types, bounds stated once, every problem listed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADVANTAGES, advantageFn } from '../../src/rl/advantages.js';
import {
  configErrors,
  configFromJson,
  MAX_SEQUENCES,
  PRESETS,
  preset,
  SETTINGS,
  TRAIN_DEFAULTS,
  type TrainConfig,
} from '../../src/rl/config.js';
import { CRITIQUE_INPUTS, critiqueInput } from '../../src/rl/critique-inputs.js';
import { AGGREGATIONS, KL_ESTIMATORS } from '../../src/rl/grpo-graph.js';
import { REWARD_PRESETS, rewardPreset } from '../../src/rl/rewards.js';
import { applyOverrides, getOwnPath, parseSetting, pick } from '../../src/util/schema.js';

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
const leaves = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
const set = (c: TrainConfig, sets: string[]) => {
  const [out, errs] = applyOverrides(SETTINGS, c, sets);
  expect(errs).toEqual([]);
  return out;
};

describe('SETTINGS', () => {
  it('covers exactly the leaves of TrainConfig', () => {
    expect(Object.keys(SETTINGS).sort()).toEqual(leaves(TRAIN_DEFAULTS).sort());
  });

  it("takes enum names from the registries' own keys", () => {
    const values = (p: string) => (SETTINGS[p] as { values: readonly string[] }).values;
    expect(values('critique.input')).toEqual(Object.keys(CRITIQUE_INPUTS));
    expect(values('grpo.advantage')).toEqual(Object.keys(ADVANTAGES));
    expect(values('grpo.kl')).toEqual(Object.keys(KL_ESTIMATORS));
    expect(values('grpo.aggregation')).toEqual(Object.keys(AGGREGATIONS));
    expect(Object.keys(SETTINGS).filter((k) => k.startsWith('critique.reward.'))).toEqual(
      Object.keys(REWARD_PRESETS.symmetric).map((k) => `critique.reward.${k}`),
    );
  });

  it('gives every number an upper bound', () => {
    for (const [p, s] of Object.entries(SETTINGS))
      if (s.kind === 'int' || s.kind === 'number') expect(Number.isFinite(s.max), p).toBe(true);
  });

  it('accepts the defaults and every preset', () => {
    expect(configErrors(TRAIN_DEFAULTS)).toEqual([]);
    for (const name of Object.keys(PRESETS)) expect(configErrors(preset(name)), name).toEqual([]);
  });
});

describe('own-property lookups', () => {
  it('refuse prototype names in every registry, listing the valid names', () => {
    for (const n of PROTO_NAMES) {
      expect(() => preset(n)).toThrow(/unknown preset .*\(valid: grl, crl-static/);
      expect(() => advantageFn(n)).toThrow(
        /unknown advantage estimator .*\(valid: grpo, drGrpo, rloo, median\)/,
      );
      expect(() => critiqueInput(n)).toThrow(
        /unknown critique input .*\(valid: filter, random, randomReweight\)/,
      );
      expect(() => rewardPreset(n)).toThrow(/unknown reward preset .*\(valid: symmetric/);
      expect(() => pick(KL_ESTIMATORS, n, 'KL estimator')).toThrow(/valid: k1, k2, k3/);
    }
  });

  it('refuse prototype names as values and as keys of a config', () => {
    const c = structuredClone(TRAIN_DEFAULTS) as TrainConfig;
    (c.grpo as Record<string, unknown>).kl = 'constructor';
    Reflect.set(c, 'constructor', 1); // an own key named like Object.prototype's
    const errs = configErrors(c);
    expect(errs).toContain('grpo.kl must be one of k1, k2, k3 (got "constructor")');
    expect(errs).toContain("unknown setting 'constructor'");
    expect(getOwnPath(TRAIN_DEFAULTS, 'grpo.constructor')).toBeUndefined();
    const [, e] = applyOverrides(SETTINGS, TRAIN_DEFAULTS, ['__proto__.x=1', 'grpo.kl=toString']);
    expect(e).toEqual([
      "--set __proto__.x=1: unknown setting '__proto__.x'",
      '--set grpo.kl=toString: grpo.kl must be one of k1, k2, k3 (got "toString")',
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined(); // nothing leaked into Object.prototype
  });
});

describe('configErrors', () => {
  it('lists every problem at once, with strict types', () => {
    const c = structuredClone(TRAIN_DEFAULTS) as unknown as Record<string, Record<string, unknown>>;
    (c.rollout as Record<string, unknown>).questions = 1e6;
    (c.grpo as Record<string, unknown>).epochs = 1e9;
    (c.grpo as Record<string, unknown>).skipZeroVariance = 1;
    (c.grpo as Record<string, unknown>).lr = '0.1';
    (c.eval as Record<string, unknown>).questions = [7];
    delete (c.critique as Record<string, unknown>).n;
    expect(configErrors(c)).toEqual([
      'rollout.questions must be an integer in [1, 1024] (got 1000000)',
      'critique.n is missing (an integer in [2, 64])',
      'grpo.skipZeroVariance must be true or false (got 1)',
      'grpo.epochs must be an integer in [1, 16] (got 1000000000)',
      'grpo.lr must be a number in [0, 1] (got "0.1")',
      'eval.questions must be an integer in [1, 4096] (got [7])',
    ]);
    expect(configErrors(null)).toEqual(['training config must be an object (got null)']);
  });

  it('bounds the sequences one step samples, and the static pre-sampling', () => {
    const big = set(TRAIN_DEFAULTS, [
      'rollout.questions=1024',
      'rollout.n=64',
      'critique.pairs=1024',
      'critique.n=64',
    ]);
    expect(configErrors(big)).toEqual([
      `rollout.questions × rollout.n (65536) exceeds ${MAX_SEQUENCES} sequences per step`,
      `critique.pairs × critique.n × (1 + critique.denoiseM) (65536) exceeds ${MAX_SEQUENCES} sequences per step`,
    ]);
    expect(configErrors(set(TRAIN_DEFAULTS, ['rollout.questions=1024', 'rollout.n=4']))).toEqual([]);
    const st = set(preset('crl-static'), ['task.trainSize=9000', 'critique.staticResponses=64']);
    expect(configErrors(st).join()).toMatch(/task\.trainSize × critique\.staticResponses \(576000\)/);
  });

  it('checks the question space and, given the context, that the longest example fits', () => {
    const c = set(TRAIN_DEFAULTS, ['task.family=mod', 'task.digits=1']);
    expect(configErrors(c)).toEqual([
      'task.trainSize + task.heldOutSize (768) exceeds the 80 questions of mod with 1 digit(s)',
    ]);
    const d4 = set(TRAIN_DEFAULTS, ['task.digits=4']);
    expect(configErrors(d4)).toEqual([]); // no context given: only the task's own bound
    expect(configErrors(d4, { ctx: 32 })).toEqual([]); // a 4-digit critique is 31 tokens
    expect(configErrors(set(d4, ['critique.denoiseM=1']), { ctx: 32 })).toEqual([
      "task.digits 4 needs 37 tokens for a refinement of add, more than the model's context of 32",
    ]);
    expect(configErrors(set(TRAIN_DEFAULTS, ['task.digits=5']), { ctx: 32 }).join()).toMatch(
      /needs 36 tokens/,
    );
  });
});

describe('configFromJson (config files)', () => {
  it('refuses true for a number, [7] for a number, null, and unknown keys', () => {
    expect(configFromJson({ steps: true })[1]).toEqual([
      'steps must be an integer in [0, 100000] (got true)',
    ]);
    expect(configFromJson({ rollout: { n: [7] } })[1]).toEqual([
      'rollout.n must be an integer in [2, 64] (got [7])',
    ]);
    expect(configFromJson(null)[1]).toEqual(['a config must be a JSON object (got null)']);
    expect(configFromJson([1])[1]).toEqual(['a config must be a JSON object (got [1])']);
    expect(configFromJson({ grpo: 5, nope: 1 })[1]).toEqual([
      "unknown setting 'nope'",
      'grpo must be an object (got 5)',
    ]);
    expect(configFromJson(JSON.parse('{"__proto__": {"steps": 1}}'))[1]).toEqual([
      "unknown setting '__proto__'",
    ]);
  });

  it('lays a partial file over the defaults and round-trips a full one', () => {
    const [c, e] = configFromJson({ grpo: { lr: 1e-4 }, mode: 'grl' });
    expect(e).toEqual([]);
    expect(c).toEqual({ ...TRAIN_DEFAULTS, mode: 'grl', grpo: { ...TRAIN_DEFAULTS.grpo, lr: 1e-4 } });
    const full = preset('critique-rl');
    expect(configFromJson(JSON.parse(JSON.stringify(full)))).toEqual([full, []]);
  });

  it('never throws and never accepts a value of the wrong type (property)', () => {
    const paths = Object.keys(SETTINGS);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, v) => {
        const obj: Record<string, unknown> = {};
        let o = obj;
        const keys = path.split('.');
        for (const k of keys.slice(0, -1)) o = o[k] = {} as Record<string, unknown>;
        o[keys.at(-1) as string] = v;
        const [c, errs] = configFromJson(obj);
        if (errs.length === 0) {
          const s = SETTINGS[path] as { kind: string };
          const got = getOwnPath(c, path);
          expect(got).toBe(v);
          if (s.kind === 'int' || s.kind === 'number') expect(typeof got).toBe('number');
          if (s.kind === 'bool') expect(typeof got).toBe('boolean');
          if (s.kind === 'enum' || s.kind === 'text') expect(typeof got).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseSetting (--set and link values)', () => {
  it('parses within bounds and refuses everything else (property)', () => {
    const s = SETTINGS['rollout.questions'] as { kind: 'int'; min: number; max: number };
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const [v, err] = parseSetting('rollout.questions', s, raw);
        if (err === null) {
          expect(Number.isInteger(v)).toBe(true);
          expect(v as number).toBeGreaterThanOrEqual(s.min);
          expect(v as number).toBeLessThanOrEqual(s.max);
        } else expect(err).toMatch(/^rollout\.questions must be an integer in \[1, 1024\] \(got /);
      }),
      { numRuns: 300 },
    );
    expect(parseSetting('rollout.questions', s, '1e3')).toEqual([1000, null]);
    expect(parseSetting('rollout.questions', s, '0x10')[1]).toMatch(/got "0x10"/);
  });
});
