// One token budget per format: at every digit count the form allows, for every family, the ideal
// completion of the longest question fits its budget exactly; the context is checked with a clear
// error; the rollout layer passes the budget to the policy, cuts only malformed over-long prompts,
// and a real policy is never cut short by its prompt padding.
import { beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/engine/runtime.js';
import {
  compareMarks,
  contextError,
  contextNeed,
  critiquePrompt,
  FORMATS,
  idealCritique,
  idealPrompt,
  maxNewFor,
  tokenCount,
} from '../../src/lm/formats.js';
import {
  critiqueBody,
  type RolloutPolicy,
  repeatEach,
  rolloutCritiques,
  rolloutRefinements,
  rolloutResponses,
} from '../../src/lm/rollout.js';
import {
  answerText,
  FAMILIES,
  makeQuestion,
  type Question,
  questionAt,
  questionSpaceSize,
} from '../../src/lm/tasks.js';
import { decode, encode, SPECIALS, VOCAB } from '../../src/lm/tokenizer.js';
import type { GenerateOptions, Generation } from '../../src/model/policy.js';
import { Policy } from '../../src/model/policy.js';

const DIGITS = [1, 2, 3, 4, 5, 6];
const longest = (family: (typeof FAMILIES)[number], digits: number): Question =>
  questionAt(family, digits, questionSpaceSize(family, digits) - 1);
/** A wrong response of the answer's width: every digit changed. */
const wrongOf = (q: Question): string => [...answerText(q)].map((d) => String((Number(d) + 1) % 10)).join('');

describe('maxNewFor', () => {
  it('is the longest valid completion plus <eos>, for every family at 1..6 digits', () => {
    for (const family of FAMILIES) {
      for (const digits of DIGITS) {
        const q = longest(family, digits);
        const w = q.width;
        const at = `${family} ${digits}`;
        const answer = tokenCount(`${answerText(q)}${SPECIALS.EOS}`);
        expect(maxNewFor('generation', q), at).toBe(answer);
        expect(maxNewFor('refinement', q), at).toBe(answer);
        for (const r of [answerText(q), wrongOf(q)]) {
          expect(maxNewFor('critique', q, r), at).toBe(tokenCount(`${idealCritique(q, r)}${SPECIALS.EOS}`));
        }
        expect(maxNewFor('critique', q), at).toBe(2 * w + 2);
        // the longest response a generation can hand the critic: budget tokens without <eos>
        const long = '1'.repeat(maxNewFor('generation', q));
        expect(maxNewFor('critique', q, long), at).toBe(
          tokenCount(`${idealCritique(q, long)}${SPECIALS.EOS}`),
        );
        expect(maxNewFor('critique', q, long), at).toBe(2 * w + 3);
      }
    }
  });

  it('gives a 3-digit critique its 10 tokens (8 new tokens cut it before the verdict)', () => {
    const q = makeQuestion('add', 999, 999); // 1998 → "8991"
    const critique = `${idealCritique(q, '0001')}${SPECIALS.EOS}`;
    expect(critique).toBe('8991---=<bad><eos>');
    expect(tokenCount(critique)).toBe(10);
    expect(maxNewFor('critique', q, '0001')).toBe(10);
    expect(compareMarks('8991', '0001')).toBe('---=');
  });

  it('names the valid formats for an unknown one', () => {
    const q = makeQuestion('add', 1, 2);
    expect(() => maxNewFor('summary' as never, q)).toThrow(/generation, critique, refinement/);
    expect(() => maxNewFor('constructor' as never, q)).toThrow(/unknown format 'constructor'/);
  });
});

describe('context check', () => {
  it('needs the ideal prompt plus the budget', () => {
    const q = makeQuestion('add', 37, 85, 2);
    expect(contextNeed('generation', q)).toBe(tokenCount('<bos><q>37+85=<r>') + 4);
    expect(contextNeed('critique', q)).toBe(tokenCount('<bos><q>37+85=<r>221<c>') + 8);
    expect(idealPrompt('refinement', q)).toBe('<bos><q>37+85=<r>221<c>221===<ok><f>');
    expect(contextNeed('refinement', q)).toBe(tokenCount('<bos><q>37+85=<r>221<c>221===<ok><f>') + 4);
  });

  it('fits the shipped 32-token context exactly where the formula says, with a clear error elsewhere', () => {
    for (const family of FAMILIES) {
      for (const digits of DIGITS) {
        const q = longest(family, digits);
        for (const format of FORMATS) {
          const need = contextNeed(format, q);
          const err = contextError(32, format, q);
          expect(err === null, `${family} ${digits} ${format}`).toBe(need <= 32);
          expect(contextError(need, format, q)).toBeNull();
          expect(contextError(need - 1, format, q)).toMatch(
            new RegExp(`context of ${need - 1} tokens cannot hold a ${format}.*\\(${need} > ${need - 1}\\)`),
          );
        }
      }
    }
    // the shipped context holds every format up to 3 digits of add (the refinement is the longest)
    expect(contextNeed('refinement', longest('add', 3))).toBe(31);
    expect(contextError(32, 'refinement', longest('add', 4))).toMatch(/37 > 32.*fewer digits/);
    expect(contextError(32, 'critique', longest('add', 4))).toBeNull();
  });
});

/** A scripted policy that writes `answer(prompt)` token by token and records each call. */
function scripted(answer: (prompt: string) => string, ctx?: number) {
  const calls: { prompts: string[]; opts: Partial<GenerateOptions> }[] = [];
  const policy: RolloutPolicy = {
    ...(ctx === undefined ? {} : { config: { ctx } }),
    async generate(prompts, opts) {
      calls.push({ prompts: prompts.map((p) => decode(p)), opts });
      return prompts.map((p): Generation => {
        const ids = [...encode(answer(decode(p)))].slice(0, opts.maxNew ?? 16);
        return { tokens: ids, logps: ids.map(() => -0.5), finished: ids.at(-1) === VOCAB.EOS };
      });
    },
  };
  return { policy, calls };
}

/** The ideal continuation of any of the three prompts. */
function ideal(q: Question) {
  return (prompt: string) => {
    if (prompt.endsWith(SPECIALS.R) || prompt.endsWith(SPECIALS.F)) return `${answerText(q)}${SPECIALS.EOS}`;
    const response = prompt.slice(prompt.indexOf(SPECIALS.R) + 3, -3);
    return `${idealCritique(q, response)}${SPECIALS.EOS}`;
  };
}

describe('rollout layer', () => {
  const q3 = makeQuestion('add', 999, 999);
  const s = { temperature: 1, seed: 5 };

  it('passes each format its budget and parses, verifies and labels the completions', async () => {
    const { policy, calls } = scripted(ideal(q3), 32);
    const rs = await rolloutResponses(policy, repeatEach([q3], 2), s);
    expect(calls[0]?.opts).toMatchObject({
      maxNew: 5,
      eos: VOCAB.EOS,
      pad: VOCAB.PAD,
      seed: 5,
      temperature: 1,
    });
    expect(rs.map((r) => [r.text, r.body, r.status, r.ok, r.cut])).toEqual([
      ['8991<eos>', '8991', 'ok', true, false],
      ['8991<eos>', '8991', 'ok', true, false],
    ]);
    expect(decode(rs[0]?.prompt ?? [])).toBe('<bos><q>999+999=<r>');
    const cs = await rolloutCritiques(
      policy,
      [
        { question: q3, response: '8991' },
        { question: q3, response: '0001' },
      ],
      s,
    );
    expect(calls[1]?.opts.maxNew).toBe(10);
    expect(cs.map((c) => [c.text, c.parsed.verdict, c.truth])).toEqual([
      ['8991====<ok><eos>', 'correct', true],
      ['8991---=<bad><eos>', 'wrong', false],
    ]);
    const fs = await rolloutRefinements(
      policy,
      [{ question: q3, response: '0001', critique: critiqueBody(cs[1]?.text ?? '') }],
      s,
    );
    expect(calls[2]?.prompts).toEqual(['<bos><q>999+999=<r>0001<c>8991---=<bad><f>']);
    expect(calls[2]?.opts.maxNew).toBe(5);
    expect(fs[0]).toMatchObject({ text: '8991<eos>', ok: true, cut: false });
  });

  it('refuses a question whose ideal rollout does not fit the context, before generating', async () => {
    const { policy, calls } = scripted(ideal(q3), 30);
    await expect(
      rolloutRefinements(policy, [{ question: q3, response: '8991', critique: '8991====<ok>' }], s),
    ).rejects.toThrow(/context of 30 tokens cannot hold a refinement for '999\+999='.*31 > 30/);
    expect(calls).toHaveLength(0);
    // without a known context nothing is refused
    await expect(rolloutResponses(scripted(ideal(q3)).policy, [q3], s)).resolves.toHaveLength(1);
  });

  it('gives a malformed over-long prompt the room left, in its own call, and marks it cut', async () => {
    const { policy, calls } = scripted(ideal(q3), 32);
    const good = { question: q3, response: '0001', critique: '8991---=<bad>' };
    const long = { question: q3, response: '00011', critique: '8991---==<ok><bad>' }; // 29 tokens: 3 over the ideal 26
    const fs = await rolloutRefinements(policy, [good, long, good], s);
    expect(calls.map((c) => c.opts.maxNew)).toEqual([5, 3]);
    expect(calls[0]?.prompts).toHaveLength(2);
    expect(calls.map((c) => c.opts.seed)).toEqual([5, 5 + 7919]);
    expect(fs.map((f) => [f.text, f.cut, f.ok])).toEqual([
      ['8991<eos>', false, true],
      ['899', true, false],
      ['8991<eos>', false, true],
    ]);
  });

  it('batches like the evaluation always did: call k seeded seed + k·batch', async () => {
    const { policy, calls } = scripted(ideal(q3), 32);
    await rolloutResponses(policy, repeatEach([q3], 5), { ...s, batch: 2 });
    expect(calls.map((c) => [c.prompts.length, c.opts.seed])).toEqual([
      [2, 5],
      [2, 7],
      [1, 9],
    ]);
  });
});

describe('a real policy at the edge of its context', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await Runtime.create('node-cpu');
  });

  it('gets its whole budget when prompt + budget fill the context (no room lost to padding)', async () => {
    const policy = Policy.init(
      rt,
      { vocab: VOCAB.size, ctx: 32, nLayer: 1, dModel: 16, nHead: 2, dMlp: 32 },
      3,
    );
    try {
      const q = longest('add', 3);
      const prompt = encode(idealPrompt('refinement', q)); // 26 tokens; bucketed to 31 it left 1
      expect(prompt.length + maxNewFor('refinement', q)).toBe(31);
      const gens = await policy.generate([prompt, prompt.slice(0, 12)], {
        eos: -1, // never stops early
        pad: VOCAB.PAD,
        maxNew: maxNewFor('refinement', q),
        seed: 1,
      });
      expect(gens.map((g) => g.tokens.length)).toEqual([5, 5]);
      const full = await policy.generate([encode(critiquePrompt(q, answerText(q)))], {
        eos: -1,
        pad: VOCAB.PAD,
        maxNew: maxNewFor('critique', q),
        seed: 1,
      });
      expect(full[0]?.tokens).toHaveLength(10);
    } finally {
      policy.dispose();
    }
  });
});
