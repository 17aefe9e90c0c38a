// Property tests of the parsers and the tokenizer: they never throw on any text (only a clear
// TokenizerError where the vocabulary is asked about), and what the formats write, they read back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CRITIQUE_STATUSES,
  compareMarks,
  idealCritique,
  parseCritique,
  parseResponse,
  RESPONSE_STATUSES,
} from '../../src/lm/formats.js';
import { answerText, FAMILIES, questionAt, questionSpaceSize } from '../../src/lm/tasks.js';
import { CHARS, decode, encode, SPECIALS, TokenizerError, VOCAB } from '../../src/lm/tokenizer.js';
import { verify } from '../../src/lm/verifier.js';

const RUNS = { numRuns: 300 };
const TOKENS = [...Object.values(SPECIALS), ...CHARS];
/** Text made of vocabulary tokens (specials written in full). */
const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((xs) => xs.join(''));
/** Any text, biased toward the vocabulary and broken specials ('<ok', '<', '>'). */
const anyText = fc.oneof(
  tokenText,
  fc.string({ maxLength: 24 }),
  fc
    .array(fc.constantFrom(...TOKENS, '<', '>', 'o', 'k', 'x', ' ', '\u{1F600}'), { maxLength: 24 })
    .map((x) => x.join('')),
);
const digits = fc
  .array(fc.constantFrom(...'0123456789'), { minLength: 1, maxLength: 8 })
  .map((x) => x.join(''));
const question = fc
  .tuple(fc.constantFrom(...FAMILIES), fc.integer({ min: 1, max: 4 }), fc.nat())
  .map(([f, d, i]) => questionAt(f, d, i % questionSpaceSize(f, d)));

describe('parseResponse (property)', () => {
  it('never throws and always names a known status', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const r = parseResponse(t);
        expect(RESPONSE_STATUSES).toContain(r.status);
        expect(t.startsWith(r.body)).toBe(true); // the body is what came before <eos>
      }),
      RUNS,
    );
  });

  it('reads back digits then <eos> as an ok response with that body, whatever follows', () => {
    fc.assert(
      fc.property(digits, tokenText, (d, tail) => {
        expect(parseResponse(`${d}<eos>${tail}`)).toEqual({ body: d, status: 'ok' });
        expect(parseResponse(d).status).toBe('truncated');
      }),
      RUNS,
    );
  });
});

describe('parseCritique (property)', () => {
  it('never throws; a verdict comes only from a verdict token before <eos>', () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const c = parseCritique(t);
        expect(CRITIQUE_STATUSES).toContain(c.status);
        const body = t.split('<eos>')[0] ?? '';
        if (c.verdict === 'correct') expect(body).toContain('<ok>');
        if (c.verdict === 'wrong') expect(body).toContain('<bad>');
        if (!body.includes('<ok>') && !body.includes('<bad>')) expect(c.verdict).toBe('none');
        if (c.status === 'ok') expect(t).toContain('<eos>');
      }),
      RUNS,
    );
  });

  it("reads back the ideal critique of any response: the working, ok status, and the verifier's verdict", () => {
    fc.assert(
      fc.property(question, fc.oneof(digits, question.map(answerText)), (q, response) => {
        const c = parseCritique(`${idealCritique(q, response)}<eos>`);
        expect(c.status).toBe('ok');
        expect(c.working).toBe(answerText(q));
        expect(c.verdict).toBe(verify(q, response) ? 'correct' : 'wrong');
      }),
      RUNS,
    );
  });

  it('marks compare position by position: all "=" exactly when the digits agree', () => {
    fc.assert(
      fc.property(digits, digits, (w, r) => {
        const m = compareMarks(w, r);
        expect(m).toHaveLength(Math.max(w.length, r.length));
        expect(/^=*$/.test(m)).toBe(w === r);
      }),
      RUNS,
    );
  });
});

describe('tokenizer (property)', () => {
  it('round-trips vocabulary text and ids', () => {
    fc.assert(
      fc.property(tokenText, (t) => {
        expect(decode(encode(t))).toBe(t);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: VOCAB.size - 1 }), { maxLength: 32 }), (ids) => {
        expect(Array.from(encode(decode(ids)))).toEqual(ids);
      }),
      RUNS,
    );
  });

  it('refuses text outside the vocabulary and ids outside it with a TokenizerError naming them', () => {
    fc.assert(
      fc.property(
        tokenText,
        fc.constantFrom('a', ' ', '<', 'é', '\u{1F600}', '/'),
        tokenText,
        (a, bad, b) => {
          const t = `${a}${bad}${b}`;
          let err: unknown;
          try {
            encode(t);
          } catch (e) {
            err = e;
          }
          // a '<' can only pass as the start of a special written in full (e.g. '<' then 'ok>…')
          if (err === undefined && bad === '<') return expect(decode(encode(t))).toBe(t);
          expect(err).toBeInstanceOf(TokenizerError);
          expect((err as Error).message).toContain('unknown character');
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: VOCAB.size, max: 1e6 }), fc.integer({ min: -1e6, max: -1 })),
        (id) => {
          expect(() => decode([VOCAB.BOS, id])).toThrow(TokenizerError);
        },
      ),
      RUNS,
    );
  });
});
