// The three prompt formats over one policy (generation, critique, refinement), their supervised targets, and parsers.
import { answerText, type Question } from './tasks.js';
import { SPECIALS as S, splitTokens } from './tokenizer.js';
import { verify } from './verifier.js';

/*
 * Formats (text; encode() turns them into ids). With q = "37+85=" (answer 122, written "221"):
 *   generation prompt  <bos><q>37+85=<r>                      → target  221<eos>
 *   critique prompt    <bos><q>37+85=<r>231<c>                → target  221=-=<bad><eos>
 *   refinement prompt  <bos><q>37+85=<r>231<c>221=-=<bad><f>  → target  221<eos>
 * A critique is the critic's own working — its recomputed answer (LSD-first) followed by one mark
 * per digit position comparing it with the response ('=' same digit, '-' different or missing) —
 * then one verdict token: <ok> = "the response is correct", <bad> = "the response is wrong".
 * The marks make the comparison explicit and local (SPEC §2: a recompute-then-verdict critic
 * without them stayed at chance), e.g. response 231, working 221 -> "221=-=<bad>".
 */

export interface Example {
  /** What the model is conditioned on. */
  readonly prompt: string;
  /** What it should continue with (ends with <eos>). */
  readonly target: string;
}

export const generationPrompt = (q: Question): string => `${S.BOS}${S.Q}${q.text}${S.R}`;

export const critiquePrompt = (q: Question, response: string): string =>
  `${generationPrompt(q)}${response}${S.C}`;

export const refinementPrompt = (q: Question, response: string, critique: string): string =>
  `${critiquePrompt(q, response)}${critique}${S.F}`;

/** Per-position comparison marks of a working against a response: '=' same digit, '-' otherwise. */
export function compareMarks(working: string, response: string): string {
  const w = splitTokens(working);
  const r = splitTokens(response);
  return Array.from({ length: Math.max(w.length, r.length) }, (_, k) =>
    w[k] !== undefined && w[k] === r[k] ? MARK_SAME : MARK_DIFF,
  ).join('');
}
export const MARK_SAME = '=';
export const MARK_DIFF = '-';

/** The ideal critique of `response`: the recomputed answer, its marks, the true verdict (no <eos>). */
export function idealCritique(q: Question, response: string): string {
  const working = answerText(q);
  return `${working}${compareMarks(working, response)}${verify(q, response) ? S.OK : S.BAD}`;
}

export const generationExample = (q: Question): Example => ({
  prompt: generationPrompt(q),
  target: `${answerText(q)}${S.EOS}`,
});

export const critiqueExample = (q: Question, response: string): Example => ({
  prompt: critiquePrompt(q, response),
  target: `${idealCritique(q, response)}${S.EOS}`,
});

/** Refinement target: the correct answer, whatever the response and critique (default: the ideal one). */
export const refinementExample = (
  q: Question,
  response: string,
  critique = idealCritique(q, response),
): Example => ({
  prompt: refinementPrompt(q, response, critique),
  target: `${answerText(q)}${S.EOS}`,
});

const isDigit = (p: string): boolean => p.length === 1 && p >= '0' && p <= '9';
const allDigits = (ps: readonly string[]): boolean => ps.every(isDigit);

/** The part of a generated continuation before the first <eos>, as token pieces, and whether <eos> came. */
function body(text: string): { pieces: string[]; ended: boolean } {
  const all = splitTokens(text);
  const end = all.indexOf(S.EOS);
  return end < 0 ? { pieces: all, ended: false } : { pieces: all.slice(0, end), ended: true };
}

export type ResponseStatus = 'ok' | 'empty' | 'garbage' | 'truncated';
export const RESPONSE_STATUSES: readonly ResponseStatus[] = ['ok', 'empty', 'garbage', 'truncated'];

export interface ParsedResponse {
  /** The response body (text before the first <eos>): what verify() judges. */
  readonly body: string;
  readonly status: ResponseStatus;
}

/**
 * Classifies a generated response continuation (text after <r>, up to and including <eos>); never throws.
 * ok: one or more digits then <eos> (whether they are right, and of the right width, is verify()'s
 * call); empty: <eos> at once; garbage: a non-digit before <eos>; truncated: digits only but no
 * <eos>. Text after <eos> is ignored.
 */
export function parseResponse(text: string): ParsedResponse {
  const { pieces, ended } = body(text);
  const b = pieces.join('');
  const status: ResponseStatus = !allDigits(pieces)
    ? 'garbage'
    : !ended
      ? 'truncated'
      : pieces.length === 0
        ? 'empty'
        : 'ok';
  return { body: b, status };
}

export type Verdict = 'correct' | 'wrong' | 'none';
export type CritiqueStatus = 'ok' | 'no-verdict' | 'garbage' | 'truncated' | 'extra-after-verdict';
export const CRITIQUE_STATUSES: readonly CritiqueStatus[] = [
  'ok',
  'no-verdict',
  'garbage',
  'truncated',
  'extra-after-verdict',
];

export interface ParsedCritique {
  /** The verdict when exactly one verdict token precedes <eos>; 'none' for zero or several. */
  readonly verdict: Verdict;
  /** The recomputed answer: the leading digits before the verdict (or of the whole body if none). */
  readonly working: string | null;
  /** 'ok' only for: digits, one verdict token, <eos>. The verdict may be set while status is not 'ok'. */
  readonly status: CritiqueStatus;
}

const isMark = (p: string): boolean => p === MARK_SAME || p === MARK_DIFF;

/** Leading digits then comparison marks: the working's answer, or null when the shape is wrong. */
function workingOf(pre: readonly string[]): string | null {
  let n = 0;
  while (n < pre.length && isDigit(pre[n] as string)) n++;
  return n > 0 && pre.slice(n).every(isMark) ? pre.slice(0, n).join('') : null;
}

const VERDICT_OF: ReadonlyMap<string, Verdict> = new Map([
  [S.OK, 'correct'],
  [S.BAD, 'wrong'],
]);

/**
 * Parses a generated critique continuation (text after <c>); never throws, on any string.
 * With a verdict token: extra-after-verdict if anything but <eos> follows it (incl. a second
 * verdict, which also voids the verdict); garbage if the working is not digits then marks
 * (marks may be absent);
 * truncated if no <eos>; else ok. Without one: garbage if a non-digit appears, truncated if no
 * <eos>, else no-verdict. Text after the first <eos> is ignored.
 */
export function parseCritique(text: string): ParsedCritique {
  const { pieces, ended } = body(text);
  const at = pieces.findIndex((p) => VERDICT_OF.has(p));
  if (at < 0) {
    const working = workingOf(pieces);
    const shaped = pieces.length === 0 || working !== null || allDigits(pieces);
    const status: CritiqueStatus = !shaped ? 'garbage' : !ended ? 'truncated' : 'no-verdict';
    return { verdict: 'none', working, status };
  }
  const pre = pieces.slice(0, at);
  const post = pieces.slice(at + 1);
  const working = workingOf(pre);
  const several = post.some((p) => VERDICT_OF.has(p));
  const verdict: Verdict = several ? 'none' : (VERDICT_OF.get(pieces[at] as string) as Verdict);
  const status: CritiqueStatus =
    post.length > 0 ? 'extra-after-verdict' : working === null ? 'garbage' : !ended ? 'truncated' : 'ok';
  return { verdict, working, status };
}

/** Counts of each status (every status present, zero if unseen). */
function tally<S extends string>(all: readonly S[], seen: Iterable<S>): Record<S, number> {
  const counts = Object.fromEntries(all.map((s) => [s, 0])) as Record<S, number>;
  for (const s of seen) counts[s]++;
  return counts;
}

export const countResponseStatuses = (texts: readonly string[]): Record<ResponseStatus, number> =>
  tally(
    RESPONSE_STATUSES,
    texts.map((t) => parseResponse(t).status),
  );

export const countCritiqueStatuses = (texts: readonly string[]): Record<CritiqueStatus, number> =>
  tally(
    CRITIQUE_STATUSES,
    texts.map((t) => parseCritique(t).status),
  );

/** The three formats one policy writes, each with ONE token budget (`maxNewFor`). */
export const FORMATS = ['generation', 'critique', 'refinement'] as const;
export type Format = (typeof FORMATS)[number];

/** Tokens in a piece of format text (specials count once). */
export const tokenCount = (text: string): number => splitTokens(text).length;

const BUDGETS: Readonly<Record<Format, (q: Question, response: string) => number>> = {
  // the fixed-width answer, then <eos>
  generation: (q) => q.width + 1,
  // the working (width digits), one mark per position of the longer of working and response, the verdict, <eos>
  critique: (q, response) => q.width + Math.max(q.width, tokenCount(response)) + 2,
  // the corrected answer, then <eos>
  refinement: (q) => q.width + 1,
};

/**
 * The token budget of a completion in `format`: the longest valid completion plus <eos>. With
 * q = "37+85=" (width 3): generation "221<eos>" 4, critique "221=-=<bad><eos>" 8, refinement 4; a
 * 3-digit add critique "8991---=<bad><eos>" needs 10. A critique's marks span the longer of the
 * working and the judged `response` (default: a response of the answer's width), so a critique of
 * a longer response gets its extra marks.
 */
export function maxNewFor(format: Format, q: Question, response: string = answerText(q)): number {
  const f = Object.hasOwn(BUDGETS, format) ? BUDGETS[format] : undefined;
  if (!f) throw new Error(`unknown format '${format}' (valid: ${FORMATS.join(', ')})`);
  return f(q, response);
}

/** The prompt of `format` for the ideal inputs: a response of the answer's width, its ideal critique. */
export function idealPrompt(format: Format, q: Question): string {
  const response = answerText(q);
  if (format === 'generation') return generationPrompt(q);
  if (format === 'critique') return critiquePrompt(q, response);
  return refinementPrompt(q, response, idealCritique(q, response));
}

/**
 * Tokens a model's context must hold for `format` on `q` with ideal inputs: the ideal prompt plus the
 * format's budget. Every question of a family and difficulty has the same lengths (operands and
 * answers are zero-padded), so one question speaks for its task.
 */
export const contextNeed = (format: Format, q: Question): number =>
  tokenCount(idealPrompt(format, q)) + maxNewFor(format, q);

/** The error when a context of `ctx` tokens cannot hold `format` on `q`; null when it fits. */
export function contextError(ctx: number, format: Format, q: Question): string | null {
  const need = contextNeed(format, q);
  if (need <= ctx) return null;
  const prompt = tokenCount(idealPrompt(format, q));
  return (
    `the model's context of ${ctx} tokens cannot hold a ${format} for '${q.text}' ` +
    `(a ${q.family} question of ${q.text.length} characters): its prompt takes ${prompt} tokens and ` +
    `the ${format} needs ${maxNewFor(format, q)} more (${need} > ${ctx}); ` +
    'use fewer digits or a model with a larger context'
  );
}
