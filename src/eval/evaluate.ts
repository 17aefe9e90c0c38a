// Held-out evaluation of a policy: generation accuracy (greedy and sampled) and critique quality
// on the balanced critique set, built as in the paper from responses of several policies.
import { rolloutCritiques, rolloutResponses } from '../lm/rollout.js';
import { answerText, type Question } from '../lm/tasks.js';
import { encode } from '../lm/tokenizer.js';
import type { Policy } from '../model/policy.js';
import { Rng } from '../util/rng.js';
import { type CritiqueRecord, type CritiqueStats, critiqueStats } from './metrics.js';

/** Token budgets come from the formats (`maxNewFor`), never from here. */
export interface EvalOptions {
  batch: number; // prompts per generation call (default 64)
  seed: number; // seeds sampled decoding
}
const EVAL_DEFAULTS: EvalOptions = { batch: 64, seed: 0 };

const sampling = (temperature: number, o: Partial<EvalOptions>) => ({ ...EVAL_DEFAULTS, ...o, temperature });

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
  const done = await rolloutResponses(policy, questions, sampling(temperature, o));
  let right = 0;
  let ok = 0;
  let tokens = 0;
  for (const r of done) {
    if (r.status === 'ok') ok++;
    if (r.ok) right++;
    tokens += encode(r.text).length;
  }
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
      const done = await rolloutResponses(policy, questions, {
        ...sampling(1, o),
        seed: (o.seed ?? 0) + 1000 * (pi * samplesPerPolicy + s),
      });
      done.forEach((r, i) => {
        (r.ok ? pools[i]?.right : pools[i]?.wrong)?.push(r.body);
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
  const done = await rolloutCritiques(
    policy,
    items.map((it) => ({ question: it.question, response: it.response })),
    sampling(temperature, o),
  );
  const records: CritiqueRecord[] = done.map((d, i) => {
    const it = items[i] as CritiqueItem;
    return {
      truth: it.correct,
      verdict: d.parsed.verdict,
      formatOk: d.parsed.status === 'ok',
      workingRight: d.parsed.working === answerText(it.question),
    };
  });
  return {
    ...critiqueStats(records),
    samples: items.map((item, i) => ({ item, critique: done[i]?.text ?? '' })),
  };
}
