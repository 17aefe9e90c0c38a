// Property tests of the link decoder: any hash (random text, tampered keys and values, bad
// percent-encoding) decodes without throwing to a valid config, with a message for each problem;
// the settings a link writes come back exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS, type FieldSpec, getPath, setPath } from '../../app/state/fields';
import { decodeConfigJson, decodeHash, encodeHash } from '../../app/state/urlConfig';
import { configErrors, TRAIN_DEFAULTS, type TrainConfig } from '../../src/rl/config.js';

const RUNS = { numRuns: 150 };
const D = (): TrainConfig => structuredClone(TRAIN_DEFAULTS) as TrainConfig;
const urlKey = fc.constantFrom(
  ...FIELDS.map((f) => f.url),
  'run',
  'view',
  'exp',
  'constructor',
  '__proto__',
  'zz',
);
const rawValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('%', '%E0%A4%A', '1e999', '-1', 'NaN', 'true', '0x10', '__proto__', 'constructor', ''),
  fc.double().map(String),
  fc.integer({ min: -5000, max: 5000 }).map(String),
);
const part = fc.oneof(
  fc.tuple(urlKey, rawValue).map(([k, v]) => `${k}=${v}`),
  fc.string({ maxLength: 10 }),
  urlKey,
);
const hash = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(part, { maxLength: 8 }).map((ps) => `#${ps.join('&')}`),
);

/** A value the form allows for a field (enums from its options, numbers inside its bounds). */
function fieldValue(f: FieldSpec): fc.Arbitrary<unknown> {
  if (f.kind === 'enum') return fc.constantFrom(...(f.options ?? []).map((o) => o.value));
  if (f.kind === 'bool') return fc.boolean();
  const min = f.min ?? 0;
  const max = f.max ?? 1;
  if (f.kind === 'int') return fc.integer({ min, max: Math.min(max, min + 64) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => Number(x.toPrecision(6)));
}

describe('decodeHash (property)', () => {
  it('never throws; always a config that passes configErrors, and messages as strings', () => {
    fc.assert(
      fc.property(hash, (h) => {
        const d = decodeHash(h);
        expect(configErrors(d.config)).toEqual([]);
        for (const e of d.errors) expect(typeof e).toBe('string');
        for (const v of Object.values(d.extras)) expect(typeof v).toBe('string');
        expect(Object.getPrototypeOf(d.config)).toBe(Object.prototype);
      }),
      RUNS,
    );
  });

  it('reports every key it does not know', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,8}$/), (k) => {
        fc.pre(!FIELDS.some((f) => f.url === k) && !['run', 'view', 'exp'].includes(k));
        const d = decodeHash(`#${k}=1`);
        expect(d.config).toEqual(D());
        expect(d.errors.some((e) => e.includes(`unknown setting '${k}'`))).toBe(true);
      }),
      RUNS,
    );
  });

  it('reads back what encodeHash writes, when the settings agree with each other', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.constantFrom(...FIELDS), { maxLength: 6, selector: (f) => f.path })
          .chain((fs) => fc.tuple(fc.constant(fs), fc.tuple(...fs.map(fieldValue)))),
        fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
        ([fs, vs], run) => {
          let c = D();
          fs.forEach((f, i) => {
            c = setPath(c, f.path, vs[i]);
          });
          fc.pre(configErrors(c).length === 0);
          const d = decodeHash(encodeHash(c, run === undefined ? {} : { run }));
          expect(d.errors).toEqual([]);
          for (const f of FIELDS) expect(getPath(d.config, f.path)).toEqual(getPath(c, f.path));
          expect(d.extras.run).toBe(run);
        },
      ),
      RUNS,
    );
  });
});

describe('decodeConfigJson (property)', () => {
  it('never throws on any text; problems leave the defaults', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.jsonValue().map((j) => JSON.stringify(j) ?? ''),
        ),
        (t) => {
          const d = decodeConfigJson(t);
          if (d.errors.length) expect(d.config).toEqual(D());
          else expect(configErrors(d.config)).toEqual([]);
        },
      ),
      RUNS,
    );
  });
});
