// Prompt formats, supervised targets, the verifier, and parsers that never throw on malformed output.
import { describe, expect, it } from 'vitest';
import {
  countCritiqueStatuses,
  countResponseStatuses,
  critiqueExample,
  generationExample,
  parseCritique,
  parseResponse,
  refinementExample,
} from '../../src/lm/formats.js';
import { makeQuestion } from '../../src/lm/tasks.js';
import { decode, encode, VOCAB } from '../../src/lm/tokenizer.js';
import { verify } from '../../src/lm/verifier.js';
import { Rng } from '../../src/util/rng.js';

const q = makeQuestion('add', 37, 85); // 122 → "221"

describe('verify', () => {
  it('accepts only the exact LSD-first answer', () => {
    expect(verify(q, '221')).toBe(true);
    for (const bad of ['122', '2210', '221<eos>', ' 221', '22', '', '+221'])
      expect(verify(q, bad), bad).toBe(false);
    expect(verify(makeQuestion('sub', 4, 4), '0')).toBe(true);
    expect(verify(makeQuestion('mul1', 5, 4), '02')).toBe(true);
  });
});

describe('formats', () => {
  it('builds the three prompts and targets', () => {
    expect(generationExample(q)).toEqual({ prompt: '<bos><q>37+85=<r>', target: '221<eos>' });
    expect(critiqueExample(q, '231')).toEqual({
      prompt: '<bos><q>37+85=<r>231<c>',
      target: '221=-=<bad><eos>',
    });
    expect(critiqueExample(q, '221').target).toBe('221===<ok><eos>');
    expect(critiqueExample(q, '22').target).toBe('221==-<bad><eos>');
    expect(critiqueExample(q, '2210').target).toBe('221===-<bad><eos>');
    expect(refinementExample(q, '231')).toEqual({
      prompt: '<bos><q>37+85=<r>231<c>221=-=<bad><f>',
      target: '221<eos>',
    });
    const full = refinementExample(q, '231', '231<ok>');
    expect(full.prompt).toBe('<bos><q>37+85=<r>231<c>231<ok><f>');
    expect(decode(encode(full.prompt + full.target))).toBe(full.prompt + full.target);
  });

  it('targets parse back as ok', () => {
    expect(parseResponse(generationExample(q).target)).toEqual({ body: '221', status: 'ok' });
    expect(parseCritique(critiqueExample(q, '231').target)).toEqual({
      verdict: 'wrong',
      working: '221',
      status: 'ok',
    });
  });
});

describe('parseResponse', () => {
  it('classifies malformed responses', () => {
    expect(parseResponse('221<eos><pad><pad>').status).toBe('ok');
    expect(parseResponse('<eos>').status).toBe('empty');
    expect(parseResponse('').status).toBe('truncated');
    expect(parseResponse('22').status).toBe('truncated');
    expect(parseResponse('2+1<eos>').status).toBe('garbage');
    expect(parseResponse('22<ok>').status).toBe('garbage');
    expect(parseResponse('2210<eos>')).toEqual({ body: '2210', status: 'ok' });
    expect(parseResponse('0<eos>').status).toBe('ok');
  });
});

describe('parseCritique', () => {
  const cases: [string, string, string | null, string][] = [
    ['221<ok><eos>', 'correct', '221', 'ok'],
    ['221<bad><eos>', 'wrong', '221', 'ok'],
    ['221<eos>', 'none', '221', 'no-verdict'],
    ['<eos>', 'none', null, 'no-verdict'],
    ['', 'none', null, 'truncated'],
    ['221', 'none', '221', 'truncated'],
    ['221<ok>', 'correct', '221', 'truncated'],
    ['2+1<eos>', 'none', null, 'garbage'],
    ['<ok><eos>', 'correct', null, 'garbage'],
    ['2<q>1<bad><eos>', 'wrong', null, 'garbage'],
    ['221<ok><bad><eos>', 'none', '221', 'extra-after-verdict'],
    ['221<ok>5<eos>', 'correct', '221', 'extra-after-verdict'],
    ['221<ok><eos><bad>', 'correct', '221', 'ok'],
    ['hello <ok', 'none', null, 'garbage'],
    ['221=-=<bad><eos>', 'wrong', '221', 'ok'],
    ['221===<ok><eos>', 'correct', '221', 'ok'],
    ['221==', 'none', '221', 'truncated'],
    ['221=2<ok><eos>', 'correct', null, 'garbage'],
    ['==<ok><eos>', 'correct', null, 'garbage'],
  ];
  it.each(cases)('%s', (text, verdict, working, status) => {
    expect(parseCritique(text)).toEqual({ verdict, working, status });
  });

  it('never throws on random strings, over the vocab or not', () => {
    const rng = new Rng(7);
    const texts: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const ids = Array.from({ length: rng.int(20) }, () => rng.int(VOCAB.size));
      texts.push(decode(ids));
      texts.push(Array.from({ length: rng.int(20) }, () => String.fromCharCode(32 + rng.int(95))).join(''));
    }
    const c = countCritiqueStatuses(texts);
    const r = countResponseStatuses(texts);
    expect(Object.values(c).reduce((a, b) => a + b, 0)).toBe(2000);
    expect(Object.values(r).reduce((a, b) => a + b, 0)).toBe(2000);
    expect(c.garbage).toBeGreaterThan(0);
  });

  it('counts every status, zero when unseen', () => {
    expect(countCritiqueStatuses(['221<ok><eos>', '<eos>', '1<ok>'])).toEqual({
      ok: 1,
      'no-verdict': 1,
      garbage: 0,
      truncated: 1,
      'extra-after-verdict': 0,
    });
  });
});
