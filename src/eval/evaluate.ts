// Held-out evaluation of a policy: generation accuracy (greedy and sampled) and critique quality
// on the balanced critique set, built as in the paper from responses of several policies.
import { critiquePrompt, generationPrompt, parseCritique, parseResponse } from '../lm/formats.js';
import { answerText, type Question } from '../lm/tasks.js';
import { decode, encode, VOCAB } from '../lm/tokenizer.js';
import { verify } from '../lm/verifier.js';
import type { Policy } from '../model/policy.js';
import { Rng } from '../util/rng.js';
import { type CritiqueRecord, type CritiqueStats, critiqueStats } from './metrics.js';

export interface EvalOptions {
  batch: number; // prompts per generation call (default 64)
  maxNew: number; // tokens per completion (default 8)
  seed: number; // seeds sampled decoding
}
const EVAL_DEFAULTS: EvalOptions = { batch: 64, maxNew: 8, seed: 0 };

/** Completions (decoded text, <eos> included when produced) for many prompts, in batches. */
export async function complete(
  policy: Pick<Policy, 'generate'>,
  prompts: readonly string[],
  temperature: number,
  o: Partial<EvalOptions> = {},
): Promise<string[]> {
  const { batch, maxNew, seed } = { ...EVAL_DEFAULTS, ...o };
  const out: string[] = [];
  for (let i = 0; i < prompts.length; i += batch) {
    const chunk = prompts.slice(i, i + batch).map((p) => encode(p));
    const gens = await policy.generate(chunk, {
      eos: VOCAB.EOS,
      pad: VOCAB.PAD,
      maxNew,
      temperature,
      seed: seed + i,
    });
    out.push(...gens.map((g) => decode(g.tokens)));
  }
  return out;
}

export interface GenerationStats {
  n: number;
  acc: number;
  formatRate: number; // responses that parsed cleanly
  meanLength: number; // tokens, <eos> included
}

export async function generationAccuracy(
  policy: Pick<Policy, 'generate'>,
  questions: readonly Question[],
  temperature: number,
  o: Partial<EvalOptions> = {},
): Promise<GenerationStats> {
  const texts = await complete(policy, questions.map(generationPrompt), temperature, o);
  let right = 0;
  let ok = 0;
  let tokens = 0;
  texts.forEach((t, i) => {
    const r = parseResponse(t);
    if (r.status === 'ok') ok++;
    if (verify(questions[i] as Question, r.body)) right++;
    tokens += encode(t).length;
  });
  const n = questions.length;
  return { n, acc: right / n, formatRate: ok / n, meanLength: tokens / n };
}

export interface CritiqueItem {
  question: Question;
  response: string; // response body (no <eos>)
  correct: boolean;
}

/**
 * The balanced critique set (paper §3): for each held-out question, sample responses from each
 * policy; keep questions that got both a correct and a wrong one, with one of each.
 */
export async function balancedCritiqueSet(
  policies: readonly Pick<Policy, 'generate'>[],
  questions: readonly Question[],
  samplesPerPolicy: number,
  o: Partial<EvalOptions> = {},
): Promise<{ items: CritiqueItem[]; questionsKept: number }> {
  const pools = questions.map(() => ({ right: [] as string[], wrong: [] as string[] }));
  for (const [pi, policy] of policies.entries()) {
    for (let s = 0; s < samplesPerPolicy; s++) {
      const texts = await complete(policy, questions.map(generationPrompt), 1, {
        ...o,
        seed: (o.seed ?? 0) + 1000 * (pi * samplesPerPolicy + s),
      });
      texts.forEach((t, i) => {
        const body = parseResponse(t).body;
        const q = questions[i] as Question;
        (verify(q, body) ? pools[i]?.right : pools[i]?.wrong)?.push(body);
      });
    }
  }
  const rng = new Rng((o.seed ?? 0) ^ 0xba1a);
  const items: CritiqueItem[] = [];
  pools.forEach((p, i) => {
    if (!p.right.length || !p.wrong.length) return;
    const question = questions[i] as Question;
    items.push({ question, response: p.right[rng.int(p.right.length)] as string, correct: true });
    items.push({ question, response: p.wrong[rng.int(p.wrong.length)] as string, correct: false });
  });
  return { items, questionsKept: items.length / 2 };
}

/** The critic's verdicts on `items`, scored (greedy when temperature is 0). */
export async function critiqueAccuracy(
  policy: Pick<Policy, 'generate'>,
  items: readonly CritiqueItem[],
  temperature: number,
  o: Partial<EvalOptions> = {},
): Promise<CritiqueStats & { samples: { item: CritiqueItem; critique: string }[] }> {
  const texts = await complete(
    policy,
    items.map((it) => critiquePrompt(it.question, it.response)),
    temperature,
    o,
  );
  const records: CritiqueRecord[] = texts.map((t, i) => {
    const it = items[i] as CritiqueItem;
    const p = parseCritique(t);
    return {
      truth: it.correct,
      verdict: p.verdict,
      formatOk: p.status === 'ok',
      workingRight: p.working === answerText(it.question),
    };
  });
  return {
    ...critiqueStats(records),
    samples: items.map((item, i) => ({ item, critique: texts[i] as string })),
  };
}
