// Property tests of the settings schema through its public functions: configErrors never throws on any
// value, accepts every in-bounds value of every setting and names the setting of any out-of-bounds one,
// and a config's own JSON comes back through configFromJson unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  configErrors,
  configFromJson,
  SETTINGS,
  TRAIN_DEFAULTS,
  type TrainConfig,
} from '../../src/rl/config.js';
import type { Setting } from '../../src/util/schema.js';

const RUNS = { numRuns: 100 };
const PATHS = Object.keys(SETTINGS);
const D = (): TrainConfig => structuredClone(TRAIN_DEFAULTS) as TrainConfig;

function setPath(c: unknown, path: string, v: unknown): void {
  const keys = path.split('.');
  let o = c as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys.at(-1) as string] = v;
}

/** A value the setting allows. */
function allowed(s: Setting): fc.Arbitrary<unknown> {
  switch (s.kind) {
    case 'int':
      return fc.integer({ min: s.min, max: s.max });
    case 'number':
      return fc.double({ min: s.min, max: s.max, noNaN: true });
    case 'enum':
      return fc.constantFrom(...s.values);
    case 'bool':
      return fc.boolean();
    case 'text':
      return fc.string({ minLength: 1, maxLength: Math.min(s.maxLength, 16) });
  }
}

/** A value the setting refuses: wrong type, out of range, not integral, not a registered name. */
function refused(s: Setting): fc.Arbitrary<unknown> {
  const wrongType = fc.oneof(fc.constant(null), fc.constant([7]), fc.constant({}), fc.constant(Number.NaN));
  switch (s.kind) {
    case 'int':
      return fc.oneof(
        wrongType,
        fc.constant(String(s.min)),
        fc.integer({ min: s.max + 1, max: s.max + 1e6 }),
        fc.integer({ min: s.min - 1e6, max: s.min - 1 }),
        fc.constant(s.min + 0.5),
        fc.constant(Number.POSITIVE_INFINITY),
      );
    case 'number':
      return fc.oneof(
        wrongType,
        fc.constant(true),
        fc.double({ min: s.max, max: s.max + 1e6, noNaN: true }).filter((x) => x > s.max),
        fc.double({ min: s.min - 1e6, max: s.min, noNaN: true }).filter((x) => x < s.min),
      );
    case 'enum':
      return fc.oneof(
        wrongType,
        fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', ''),
        fc.string({ maxLength: 6 }).filter((x) => !s.values.includes(x)),
      );
    case 'bool':
      return fc.oneof(wrongType, fc.constantFrom(0, 1, 'true', 'false'));
    case 'text':
      return fc.oneof(wrongType, fc.constant(''), fc.constant(5));
  }
}

const setting = fc.constantFrom(...PATHS);

describe('configErrors (property)', () => {
  it('never throws, whatever it is given, and always returns messages', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const e = configErrors(v);
        expect(Array.isArray(e)).toBe(true);
        for (const m of e) expect(typeof m).toBe('string');
      }),
      RUNS,
    );
  });

  it('takes every in-bounds value of any setting without a complaint about that setting', () => {
    fc.assert(
      fc.property(
        setting.chain((p) => fc.tuple(fc.constant(p), allowed(SETTINGS[p] as Setting))),
        ([path, v]) => {
          const c = D();
          setPath(c, path, v);
          // only the cross-checks between settings may object (sizes, held-out count, the task)
          for (const m of configErrors(c))
            expect(m).not.toMatch(new RegExp(`^${path.replace('.', '\\.')} (must|is)`));
        },
      ),
      RUNS,
    );
  });

  it('refuses any out-of-bounds or mistyped value of any setting, naming it', () => {
    fc.assert(
      fc.property(
        setting.chain((p) => fc.tuple(fc.constant(p), refused(SETTINGS[p] as Setting))),
        ([path, v]) => {
          const c = D();
          setPath(c, path, v);
          const e = configErrors(c);
          expect(
            e.some((m) => m.startsWith(`${path} must be`)),
            `${path}=${String(v)}: ${e.join('; ')}`,
          ).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('lists every problem at once', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(setting, { minLength: 1, maxLength: 5 })
          .chain((ps) =>
            fc.tuple(fc.constant(ps), fc.tuple(...ps.map((p) => refused(SETTINGS[p] as Setting)))),
          ),
        ([paths, vs]) => {
          const c = D();
          paths.forEach((p, i) => {
            setPath(c, p, vs[i]);
          });
          const e = configErrors(c);
          for (const p of paths) expect(e.some((m) => m.startsWith(`${p} must be`))).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe('configFromJson (property)', () => {
  it("returns a config's own JSON unchanged, with the same problems configErrors finds", () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(setting, { maxLength: 6 })
          .chain((ps) =>
            fc.tuple(fc.constant(ps), fc.tuple(...ps.map((p) => allowed(SETTINGS[p] as Setting)))),
          ),
        ([paths, vs]) => {
          const c = D();
          paths.forEach((p, i) => {
            setPath(c, p, vs[i]);
          });
          const json = JSON.parse(JSON.stringify(c)); // (JSON has no -0: compare with what it carries)
          const [back, e] = configFromJson(json);
          expect(back).toEqual(json);
          expect(e).toEqual(configErrors(c));
        },
      ),
      RUNS,
    );
  });

  it('never throws on any JSON and never accepts a non-object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (j) => {
        const [, e] = configFromJson(j);
        if (j === null || typeof j !== 'object' || Array.isArray(j)) expect(e.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
});
