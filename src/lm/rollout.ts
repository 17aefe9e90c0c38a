// The one rollout layer: encode → generate → decode → parse → verify for each format, with one
// token budget per format (`maxNewFor`) and the model's context checked, shared by training
// (responses, critiques, refinements), held-out evaluation, the balanced critique set and the showcase.
import type { GenerateOptions, Generation } from '../model/policy.js';
import {
  contextError,
  critiquePrompt,
  type Format,
  generationPrompt,
  maxNewFor,
  type ParsedCritique,
  parseCritique,
  parseResponse,
  type ResponseStatus,
  refinementPrompt,
} from './formats.js';
import type { Question } from './tasks.js';
import { decode, encode, VOCAB } from './tokenizer.js';
import { verify } from './verifier.js';

/** What the layer needs from a policy: batched generation, and its context length when it has one. */
export interface RolloutPolicy {
  generate(
    prompts: readonly ArrayLike<number>[],
    opts: Partial<GenerateOptions> & Pick<GenerateOptions, 'eos'>,
  ): Promise<Generation[]>;
  readonly config?: { readonly ctx: number };
}

/** Sampling for a rollout; `maxNew` is never passed in: it comes from the format. */
export interface RolloutSampling {
  temperature: number;
  topK?: number;
  topP?: number;
  seed: number;
  /** Prompts per generate call (default: all in one); call k is seeded `seed + k·batch`. */
  batch?: number;
}

/** One generated completion with what training needs (prompt and completion ids, log-probs). */
export interface Completion {
  prompt: Int32Array;
  tokens: number[]; // completion, <eos> included when produced
  logps: number[];
  finished: boolean; // ended with <eos>
  text: string; // decoded completion
  cut: boolean; // the context left less room than the format's budget (malformed, over-long inputs)
}

/** A response (generation or refinement), parsed and verified. */
export interface ResponseCompletion extends Completion {
  body: string; // text before <eos>: what the verifier judged
  status: ResponseStatus;
  ok: boolean;
}

/** A critique of (question, response), parsed, with the response's true label. */
export interface CritiqueCompletion extends Completion {
  parsed: ParsedCritique;
  truth: boolean; // verify(question, response)
}

export interface CritiqueItem {
  question: Question;
  response: string; // response body (no <eos>)
}

export interface RefinementItem extends CritiqueItem {
  critique: string; // critique body (no <eos>)
}

/** `n` copies of each item, item-major (the n rollouts of item 0 first). */
export const repeatEach = <T>(items: readonly T[], n: number): T[] =>
  items.flatMap((x) => Array.from({ length: n }, () => x));

/**
 * Generates completions of `prompts` (each with its question and budget), batched, with the context
 * checked: a question whose ideal prompt and completion do not fit the model's context throws a clear
 * error before anything runs; a prompt longer than the ideal one (a malformed response or critique
 * being judged or refined) gets what room is left (`cut`; nothing when none is left).
 */
async function run(
  policy: RolloutPolicy,
  format: Format,
  rows: readonly { q: Question; prompt: string; budget: number }[],
  s: RolloutSampling,
): Promise<Completion[]> {
  const ctx = policy.config?.ctx ?? Number.POSITIVE_INFINITY;
  const checked = new Set<string>();
  for (const r of rows) {
    const key = `${r.q.family}:${r.q.text.length}`;
    if (checked.has(key)) continue;
    checked.add(key);
    const err = contextError(ctx, format, r.q);
    if (err) throw new Error(err);
  }
  const encoded = rows.map((r) => encode(r.prompt));
  const out: Completion[] = new Array(rows.length);
  const batch = s.batch ?? Math.max(1, rows.length);
  for (let start = 0; start < rows.length; start += batch) {
    // Rows that share a budget and fit it go in one call; over-long prompts get what room is left.
    const calls = new Map<number, number[]>();
    for (let i = start; i < Math.min(rows.length, start + batch); i++) {
      const len = (encoded[i] as Int32Array).length;
      const budget = (rows[i] as { budget: number }).budget;
      const room = Math.min(budget, ctx - len);
      const key = room === budget ? budget : -Math.max(0, room) - 1; // negative keys: cut rows
      calls.set(key, [...(calls.get(key) ?? []), i]);
    }
    let k = 0;
    for (const [key, idx] of calls) {
      const maxNew = key >= 0 ? key : -key - 1;
      const prompts = idx.map((i) => encoded[i] as Int32Array);
      const gens: Generation[] =
        maxNew > 0
          ? await policy.generate(prompts, {
              eos: VOCAB.EOS,
              pad: VOCAB.PAD,
              maxNew,
              temperature: s.temperature,
              topK: s.topK ?? 0,
              topP: s.topP ?? 1,
              seed: s.seed + start + 7919 * k++,
            })
          : idx.map(() => ({ tokens: [], logps: [], finished: false }));
      idx.forEach((i, j) => {
        const g = gens[j] as Generation;
        out[i] = {
          prompt: encoded[i] as Int32Array,
          tokens: g.tokens,
          logps: g.logps,
          finished: g.finished,
          text: decode(g.tokens),
          cut: key < 0,
        };
      });
    }
  }
  return out;
}

/** A response's parse and verification, from its question and completion. */
function asResponse(q: Question, c: Completion): ResponseCompletion {
  const { body, status } = parseResponse(c.text);
  return { ...c, body, status, ok: verify(q, body) };
}

/** Generation: one sampled response per question (repeat questions for n each). */
export async function rolloutResponses(
  policy: RolloutPolicy,
  questions: readonly Question[],
  s: RolloutSampling,
): Promise<ResponseCompletion[]> {
  const rows = questions.map((q) => ({
    q,
    prompt: generationPrompt(q),
    budget: maxNewFor('generation', q),
  }));
  const done = await run(policy, 'generation', rows, s);
  return done.map((c, i) => asResponse(questions[i] as Question, c));
}

/** Critiques: one per (question, response) item, parsed, with the response's true label. */
export async function rolloutCritiques(
  policy: RolloutPolicy,
  items: readonly CritiqueItem[],
  s: RolloutSampling,
): Promise<CritiqueCompletion[]> {
  const rows = items.map((it) => ({
    q: it.question,
    prompt: critiquePrompt(it.question, it.response),
    budget: maxNewFor('critique', it.question, it.response),
  }));
  const done = await run(policy, 'critique', rows, s);
  return done.map((c, i) => {
    const it = items[i] as CritiqueItem;
    return { ...c, parsed: parseCritique(c.text), truth: verify(it.question, it.response) };
  });
}

/** Refinements (Eq. 4): one corrected response per (question, response, critique) item, verified. */
export async function rolloutRefinements(
  policy: RolloutPolicy,
  items: readonly RefinementItem[],
  s: RolloutSampling,
): Promise<ResponseCompletion[]> {
  const rows = items.map((it) => ({
    q: it.question,
    prompt: refinementPrompt(it.question, it.response, it.critique),
    budget: maxNewFor('refinement', it.question),
  }));
  const done = await run(policy, 'refinement', rows, s);
  return done.map((c, i) => asResponse((items[i] as RefinementItem).question, c));
}

/** The critique body a refinement prompt quotes: the completion before its first <eos>. */
export const critiqueBody = (text: string): string => text.split('<eos>')[0] ?? '';
