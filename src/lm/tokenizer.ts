// Character-level vocabulary of the toy world: digits, operators, '=', and special tokens (one id each).

/** Special tokens, written in text as these exact strings. */
export const SPECIALS = Object.freeze({
  PAD: '<pad>',
  BOS: '<bos>',
  EOS: '<eos>',
  Q: '<q>', // question follows
  R: '<r>', // response follows
  C: '<c>', // critique follows
  F: '<f>', // refinement follows
  OK: '<ok>', // verdict: the response is correct
  BAD: '<bad>', // verdict: the response is wrong
});

/** Plain characters in id order (after the specials). No space: the toy world never needs one. */
export const CHARS = '0123456789+-*%=';

const SPECIAL_LIST: readonly string[] = Object.values(SPECIALS);
const TOKENS: readonly string[] = [...SPECIAL_LIST, ...CHARS];

/** Token ids (PAD is 0) and the vocabulary size. */
export const VOCAB = Object.freeze({
  PAD: 0,
  BOS: 1,
  EOS: 2,
  Q: 3,
  R: 4,
  C: 5,
  F: 6,
  OK: 7,
  BAD: 8,
  /** Id of digit d is DIGIT0 + d. */
  DIGIT0: SPECIAL_LIST.length,
  PLUS: SPECIAL_LIST.length + 10,
  MINUS: SPECIAL_LIST.length + 11,
  TIMES: SPECIAL_LIST.length + 12,
  MOD: SPECIAL_LIST.length + 13,
  EQ: SPECIAL_LIST.length + 14,
  size: TOKENS.length,
});

const ID_OF: ReadonlyMap<string, number> = new Map(TOKENS.map((t, i) => [t, i]));

export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

/** The text of token `id` (throws on an id outside the vocabulary). */
export function tokenText(id: number): string {
  const t = TOKENS[id];
  if (t === undefined)
    throw new TokenizerError(`token id ${id} is outside the vocabulary [0, ${VOCAB.size})`);
  return t;
}

/** The id of a token's text, or undefined if it is not a token. */
export const tokenId = (text: string): number | undefined => ID_OF.get(text);

/**
 * Splits text into token strings without ever throwing: a special written in full is one piece,
 * any other character is one piece (possibly not in the vocabulary — callers check with tokenId).
 */
export function splitTokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const special = text[i] === '<' ? SPECIAL_LIST.find((s) => text.startsWith(s, i)) : undefined;
    const piece = special ?? String.fromCodePoint(text.codePointAt(i) as number);
    out.push(piece);
    i += piece.length;
  }
  return out;
}

/** Encodes text to ids; an unknown character throws, naming it and its position. */
export function encode(text: string): Int32Array {
  const pieces = splitTokens(text);
  const ids = new Int32Array(pieces.length);
  let pos = 0;
  pieces.forEach((p, k) => {
    const id = ID_OF.get(p);
    if (id === undefined) {
      throw new TokenizerError(
        `unknown character ${JSON.stringify(p)} at position ${pos} in ${JSON.stringify(text)}`,
      );
    }
    ids[k] = id;
    pos += p.length;
  });
  return ids;
}

/** Decodes ids back to text (decode(encode(s)) === s). */
export function decode(ids: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) s += tokenText(ids[i] as number);
  return s;
}
