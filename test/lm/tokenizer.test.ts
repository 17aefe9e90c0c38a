// The toy vocabulary: ids, round-trips with special tokens, and clear errors on unknown characters.
import { describe, expect, it } from 'vitest';
import { decode, encode, SPECIALS, splitTokens, tokenText, VOCAB } from '../../src/lm/tokenizer.js';

describe('tokenizer', () => {
  it('has PAD = 0, one id per special, and a frozen vocab', () => {
    expect(VOCAB.PAD).toBe(0);
    expect(Object.isFrozen(VOCAB)).toBe(true);
    expect(VOCAB.size).toBe(9 + 15);
    expect(tokenText(VOCAB.OK)).toBe('<ok>');
    expect(tokenText(VOCAB.DIGIT0 + 7)).toBe('7');
    expect(tokenText(VOCAB.EQ)).toBe('=');
    const ids = new Set(Object.values(SPECIALS).map((s) => encode(s)[0]));
    expect(ids.size).toBe(9);
  });

  it('encodes specials as single ids and round-trips', () => {
    const text = '<bos><q>37+85=<r>221<c>221<ok><eos><pad>';
    const ids = encode(text);
    expect(Array.from(ids.slice(0, 3))).toEqual([VOCAB.BOS, VOCAB.Q, VOCAB.DIGIT0 + 3]);
    expect(ids.length).toBe(2 + 6 + 1 + 3 + 1 + 3 + 1 + 1 + 1);
    expect(decode(ids)).toBe(text);
    for (const s of ['', '0123456789+-*%=', '9%7=', '<f><bad>', '120-7=']) expect(decode(encode(s))).toBe(s);
  });

  it('round-trips every id', () => {
    const all = Int32Array.from({ length: VOCAB.size }, (_, i) => i);
    expect(Array.from(encode(decode(all)))).toEqual(Array.from(all));
  });

  it('throws on unknown characters, naming the character and its position', () => {
    expect(() => encode('<q>12 +3')).toThrow(/unknown character " " at position 5/);
    expect(() => encode('12x')).toThrow(/"x" at position 2/);
    expect(() => encode('<ok')).toThrow(/"<" at position 0/);
    expect(() => decode([VOCAB.size])).toThrow(/outside the vocabulary/);
  });

  it('splitTokens never throws and keeps unknown characters as pieces', () => {
    expect(splitTokens('<ok>a<<b>')).toEqual(['<ok>', 'a', '<', '<', 'b', '>']);
    expect(splitTokens('')).toEqual([]);
  });
});
