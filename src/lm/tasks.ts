// Arithmetic task families with a difficulty knob, the LSD-first answer convention, and seeded train/held-out splits.
import { Rng } from '../util/rng.js';

/**
 * Families (operands drawn from [0, 10^digits), i.e. "up to `digits` digits"):
 * - `add`: a+b.
 * - `sub`: a-b with a ≥ b, so results are never negative (no sign in answers).
 * - `mul1`: a*b with b a single digit 0–9.
 * - `mod`: a%b with a small modulus b in 2–9.
 */
export type Family = 'add' | 'sub' | 'mul1' | 'mod';
export const FAMILIES: readonly Family[] = Object.freeze(['add', 'sub', 'mul1', 'mod']);

export interface Question {
  readonly family: Family;
  readonly a: number;
  readonly b: number;
  /** The question as written, operands zero-padded to the family's width, e.g. "07+85=". */
  readonly text: string;
  readonly answer: number;
  /** Digits of every answer in this family and difficulty (answers are zero-padded to it). */
  readonly width: number;
}

export class TaskError extends Error {
  override name = 'TaskError';
}

const OPS: Readonly<Record<Family, { sym: string; fn: (a: number, b: number) => number }>> = {
  add: { sym: '+', fn: (a, b) => a + b },
  sub: { sym: '-', fn: (a, b) => a - b },
  mul1: { sym: '*', fn: (a, b) => a * b },
  mod: { sym: '%', fn: (a, b) => a % b },
};

const MOD_MIN = 2;
const MOD_COUNT = 8; // moduli 2..9
export const MAX_DIGITS = 6; // operand digits the task supports (the model's context may allow fewer)

function checkDigits(digits: number): number {
  if (!Number.isInteger(digits) || digits < 1 || digits > MAX_DIGITS) {
    throw new TaskError(`digits must be an integer in [1, ${MAX_DIGITS}], got ${digits}`);
  }
  return 10 ** digits;
}

/** Operand b is one digit in mul1 and mod; otherwise as wide as a. */
const oneDigitB = (f: Family): boolean => f === 'mul1' || f === 'mod';

/** Answer width: enough digits for the largest answer of the family at this difficulty. */
export function answerWidth(family: Family, digits: number): number {
  return family === 'add' || family === 'mul1' ? digits + 1 : family === 'sub' ? digits : 1;
}

/**
 * Builds a question from its operands (checking they belong to the family). Operands are written
 * zero-padded to `digits` (default: the wider operand), so every question and answer of a
 * difficulty has the same length and each digit sits at a fixed position — which lets a tiny
 * model with absolute position embeddings line digits up (SPEC §2, learnability).
 */
export function makeQuestion(
  family: Family,
  a: number,
  b: number,
  digits = Math.max(String(a).length, oneDigitB(family) ? 1 : String(b).length),
): Question {
  const op = OPS[family];
  if (!op) throw new TaskError(`unknown family '${family}'`);
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0) {
    throw new TaskError(`operands must be non-negative integers, got ${a}, ${b}`);
  }
  if (family === 'sub' && a < b) throw new TaskError(`sub needs a ≥ b, got ${a}-${b}`);
  if (family === 'mul1' && b > 9) throw new TaskError(`mul1 needs a one-digit b, got ${b}`);
  if (family === 'mod' && (b < MOD_MIN || b >= MOD_MIN + MOD_COUNT)) {
    throw new TaskError(`mod needs a modulus in [${MOD_MIN}, ${MOD_MIN + MOD_COUNT - 1}], got ${b}`);
  }
  if (a >= 10 ** digits || (!oneDigitB(family) && b >= 10 ** digits)) {
    throw new TaskError(`operands ${a}, ${b} do not fit in ${digits} digit(s)`);
  }
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const text = `${pad(a, digits)}${op.sym}${pad(b, oneDigitB(family) ? 1 : digits)}=`;
  return Object.freeze({ family, a, b, text, answer: op.fn(a, b), width: answerWidth(family, digits) });
}

/** Number of distinct questions in a family at a difficulty. */
export function questionSpaceSize(family: Family, digits: number): number {
  const n = checkDigits(digits);
  switch (family) {
    case 'add':
      return n * n;
    case 'sub':
      return (n * (n + 1)) / 2;
    case 'mul1':
      return n * 10;
    case 'mod':
      return n * MOD_COUNT;
  }
}

/** The question with index `i` in [0, questionSpaceSize): a bijection, so distinct indices give distinct texts. */
export function questionAt(family: Family, digits: number, i: number): Question {
  const n = checkDigits(digits);
  const size = questionSpaceSize(family, digits);
  if (!Number.isInteger(i) || i < 0 || i >= size)
    throw new TaskError(`question index ${i} outside [0, ${size})`);
  switch (family) {
    case 'add':
      return makeQuestion(family, Math.floor(i / n), i % n, digits);
    case 'sub': {
      // Triangular index over pairs b ≤ a: i = a(a+1)/2 + b.
      let a = Math.floor((Math.sqrt(8 * i + 1) - 1) / 2);
      while ((a * (a + 1)) / 2 > i) a--;
      while (((a + 1) * (a + 2)) / 2 <= i) a++;
      return makeQuestion(family, a, i - (a * (a + 1)) / 2, digits);
    }
    case 'mul1':
      return makeQuestion(family, Math.floor(i / 10), i % 10, digits);
    case 'mod':
      return makeQuestion(family, Math.floor(i / MOD_COUNT), MOD_MIN + (i % MOD_COUNT), digits);
  }
}

/** One random question of the family (uniform over its question space). */
export const sampleQuestion = (family: Family, digits: number, rng: Rng): Question =>
  questionAt(family, digits, rng.int(questionSpaceSize(family, digits)));

/**
 * Answers are written LEAST-significant digit first: 122 → "221", 120 → "021", 0 → "0".
 * This lets a left-to-right model emit each digit after the digits it depends on (the carry),
 * which is what makes the toy learnable (SPEC §2). Only non-negative integers occur.
 */
export function formatAnswer(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new TaskError(`answers are non-negative integers, got ${n}`);
  return [...String(n)].reverse().join('');
}

/** `n` LSD-first, zero-padded on its most-significant end to `width` digits: (39, 3) -> "930". */
export function padAnswer(n: number, width: number): string {
  const s = formatAnswer(n);
  if (s.length > width) throw new TaskError(`answer ${n} does not fit in ${width} digit(s)`);
  return s.padEnd(width, '0');
}

/** The expected response to `q`: its answer, LSD-first, at the family's fixed width. */
export const answerText = (q: Question): string => padAnswer(q.answer, q.width);

/**
 * Parses an LSD-first answer; null unless `s` is exactly formatAnswer(n) for some n
 * (non-empty, digits only, and no redundant zero at the end, i.e. no leading zero once reversed).
 */
export function parseAnswer(s: string): number | null {
  if (!/^[0-9]+$/.test(s) || (s.length > 1 && s.endsWith('0'))) return null;
  const n = Number([...s].reverse().join(''));
  return Number.isSafeInteger(n) ? n : null;
}

export interface SplitOptions {
  readonly family: Family;
  readonly digits: number;
  readonly trainSize: number;
  readonly heldOutSize: number;
  readonly seed: number;
}

export interface Splits {
  readonly train: readonly Question[];
  readonly heldOut: readonly Question[];
  /** Texts of the held-out questions (to keep any other sampling, e.g. a cold start, off them). */
  readonly heldOutTexts: ReadonlySet<string>;
}

const SHUFFLE_LIMIT = 1 << 20;

/** `k` distinct integers from [0, size), in random order, reproducible from `rng`. */
export function distinctIndices(size: number, k: number, rng: Rng): number[] {
  if (k > size) throw new TaskError(`cannot draw ${k} distinct items from ${size}`);
  if (size <= SHUFFLE_LIMIT) {
    const idx = Int32Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(size - i);
      const t = idx[i] as number;
      idx[i] = idx[j] as number;
      idx[j] = t;
    }
    return Array.from(idx.subarray(0, k));
  }
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < k) {
    const i = rng.int(size);
    if (!seen.has(i)) {
      seen.add(i);
      out.push(i);
    }
  }
  return out;
}

/** A finite seeded training set and a disjoint held-out set (no question text in both). */
export function makeSplits(o: SplitOptions): Splits {
  for (const [k, v] of [
    ['trainSize', o.trainSize],
    ['heldOutSize', o.heldOutSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new TaskError(`${k} must be a non-negative integer, got ${v}`);
  }
  const size = questionSpaceSize(o.family, o.digits);
  const need = o.trainSize + o.heldOutSize;
  if (need > size) {
    throw new TaskError(
      `${o.family} with ${o.digits} digit(s) has only ${size} questions; ` +
        `trainSize ${o.trainSize} + heldOutSize ${o.heldOutSize} = ${need} do not fit`,
    );
  }
  const idx = distinctIndices(size, need, new Rng(o.seed));
  const qs = idx.map((i) => questionAt(o.family, o.digits, i));
  const heldOut = Object.freeze(qs.slice(0, o.heldOutSize));
  const train = Object.freeze(qs.slice(o.heldOutSize));
  return Object.freeze({ train, heldOut, heldOutTexts: new Set(heldOut.map((q) => q.text)) });
}

/** A random question whose text is not in `exclude` (e.g. the held-out set, for a wide cold start). */
export function sampleQuestionOutside(
  family: Family,
  digits: number,
  rng: Rng,
  exclude: ReadonlySet<string>,
): Question {
  const tries = 64 * questionSpaceSize(family, digits);
  for (let t = 0; t < tries; t++) {
    const q = sampleQuestion(family, digits, rng);
    if (!exclude.has(q.text)) return q;
  }
  throw new TaskError(
    `no ${family} question with ${digits} digit(s) outside the excluded set (after ${tries} tries)`,
  );
}
