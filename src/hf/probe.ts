// The critic probe: any text-generation model judged as a critic on the balanced critique set,
// through an editable prompt template and verdict parser, scored with the playground's critique
// metrics and Appendix C's prediction of where unweighted RL would pull it at a label ratio p.
import { wrongAnswer } from '../coldstart/data.js';
import { type CritiqueStats, critiqueStats } from '../eval/metrics.js';
import type { Verdict } from '../lm/formats.js';
import { type Family, makeSplits, type Question } from '../lm/tasks.js';
import { predictedBias } from '../rl/rewards.js';
import { Rng } from '../util/rng.js';

export interface ProbeTemplate {
  /** The prompt, with {fields} filled per item (see TEMPLATE_FIELDS). */
  prompt: string;
  /** Regular expressions (case-insensitive) for the verdicts; the earliest match in the output wins. */
  ok: string;
  bad: string;
  maxNewTokens: number;
}

/** Fields a template can use, with what each holds for "37+85=" answered "231" (LSD-first). */
export const TEMPLATE_FIELDS = {
  question: 'the question as the playground writes it: 37+85=',
  response: 'the response as the playground writes it (least-significant digit first): 231',
  a: 'first operand: 37',
  b: 'second operand: 85',
  op: 'operator symbol: +',
  expression: 'the question in plain arithmetic: 37 + 85',
  answer: 'the response as an ordinary number (most-significant digit first): 132',
} as const;
type Field = keyof typeof TEMPLATE_FIELDS;

/** Built-in templates, by name. */
export const TEMPLATES: Readonly<Record<string, ProbeTemplate>> = Object.freeze({
  // The playground's own critique format: what an exported GC-RL model was trained on.
  gcrl: { prompt: '<bos><q>{question}<r>{response}<c>', ok: '<ok>', bad: '<bad>', maxNewTokens: 12 },
  // A plain-language yes/no judge for general (instruction-tuned or base) language models.
  'yes-no': {
    prompt:
      'Question: What is {expression}?\nProposed answer: {answer}\nIs the proposed answer correct? Reply yes or no.\nReply:',
    ok: '\\byes\\b|\\bcorrect\\b',
    bad: '\\bno\\b|\\bincorrect\\b|\\bwrong\\b',
    maxNewTokens: 6,
  },
});

export interface ProbeItem {
  question: Question;
  response: string; // LSD-first, as the playground writes answers
  correct: boolean;
}

/** Every problem with a template (empty when usable). */
export function templateProblems(t: Partial<ProbeTemplate>): string[] {
  const p: string[] = [];
  if (typeof t.prompt !== 'string' || !t.prompt) p.push('prompt must be a non-empty string');
  else {
    for (const m of t.prompt.matchAll(/\{(\w+)\}/g)) {
      if (!((m[1] as string) in TEMPLATE_FIELDS))
        p.push(`unknown field {${m[1]}} (fields: ${Object.keys(TEMPLATE_FIELDS).join(', ')})`);
    }
  }
  for (const k of ['ok', 'bad'] as const) {
    if (typeof t[k] !== 'string' || !t[k]) p.push(`${k} must be a non-empty regular expression`);
    else {
      try {
        new RegExp(t[k] as string, 'i');
      } catch (e) {
        p.push(`${k} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
  }
  if (!Number.isInteger(t.maxNewTokens) || (t.maxNewTokens as number) < 1 || (t.maxNewTokens as number) > 256)
    p.push(`maxNewTokens must be an integer in [1, 256] (got ${t.maxNewTokens})`);
  return p;
}

/** A template from JSON text (a template file), every problem listed. */
export function parseTemplate(json: string): ProbeTemplate {
  let t: unknown;
  try {
    t = JSON.parse(json);
  } catch (e) {
    throw new Error(`template is not JSON: ${(e as Error).message}`);
  }
  if (typeof t !== 'object' || t === null) throw new Error('template must be a JSON object');
  const probs = templateProblems(t as Partial<ProbeTemplate>);
  if (probs.length) throw new Error(`invalid template: ${probs.join('; ')}`);
  const { prompt, ok, bad, maxNewTokens } = t as ProbeTemplate;
  return { prompt, ok, bad, maxNewTokens };
}

const SYMBOL: Readonly<Record<Family, string>> = { add: '+', sub: '-', mul1: '*', mod: '%' };

export function renderPrompt(template: string, item: ProbeItem): string {
  const q = item.question;
  const values: Record<Field, string> = {
    question: q.text,
    response: item.response,
    a: String(q.a),
    b: String(q.b),
    op: SYMBOL[q.family],
    expression: `${q.a} ${SYMBOL[q.family]} ${q.b}`,
    answer: String(Number([...item.response].reverse().join(''))),
  };
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? values[k as Field] : m));
}

/** The verdict in a model's output: whichever pattern matches first; 'none' if neither does. */
export function parseVerdict(t: Pick<ProbeTemplate, 'ok' | 'bad'>, output: string): Verdict {
  const ok = new RegExp(t.ok, 'i').exec(output);
  const bad = new RegExp(t.bad, 'i').exec(output);
  if (ok && (!bad || ok.index <= bad.index)) return 'correct';
  return bad ? 'wrong' : 'none';
}

export interface ProbeSetOptions {
  family: Family;
  digits: number;
  heldOutSize: number;
  splitSeed: number;
  /** Questions to use (each gives one correct and one wrong item); default all held-out ones. */
  limit?: number;
  seed: number; // draws the wrong responses
}

/** The shipped models' task (2-digit add, held-out split of 256, split seed 1234). */
export const PROBE_SET_DEFAULTS: ProbeSetOptions = {
  family: 'add',
  digits: 2,
  heldOutSize: 256,
  splitSeed: 1234,
  seed: 0,
};

/**
 * The balanced critique set: for each held-out question, its correct answer and one plausible wrong
 * one (a digit changed or off by a little), so exactly half the items are correct.
 */
export function probeSet(o: ProbeSetOptions): ProbeItem[] {
  const { heldOut } = makeSplits({
    family: o.family,
    digits: o.digits,
    trainSize: 0,
    heldOutSize: o.heldOutSize,
    seed: o.splitSeed,
  });
  const rng = new Rng(o.seed ^ 0x9e0b);
  return heldOut.slice(0, o.limit ?? heldOut.length).flatMap((q) => {
    const right = [...String(q.answer).padStart(q.width, '0')].reverse().join('');
    return [
      { question: q, response: right, correct: true },
      { question: q, response: wrongAnswer(q, rng), correct: false },
    ];
  });
}

export interface ProbeReport {
  stats: CritiqueStats;
  /** Appendix C at label ratio p: expected critique reward, unweighted and weighted, and the pull (p − ½). */
  predicted: { p: number; unweighted: number; weighted: number; pull: number };
  samples: { item: ProbeItem; prompt: string; output: string; verdict: Verdict }[];
}

/** A model under probe: continues a prompt (greedy) with at most `maxNewTokens` tokens. */
export type Complete = (prompt: string, maxNewTokens: number) => Promise<string>;

/** Runs the model over the items; `onItem` sees each result as it comes (progress, live tables). */
export async function runProbe(
  complete: Complete,
  items: readonly ProbeItem[],
  template: ProbeTemplate,
  ratio: number,
  onItem?: (done: number, total: number) => void,
): Promise<[ProbeReport, Record<string, number>]> {
  if (!(ratio >= 0 && ratio <= 1)) throw new Error(`label ratio must be in [0, 1] (got ${ratio})`);
  const probs = templateProblems(template);
  if (probs.length) throw new Error(`invalid template: ${probs.join('; ')}`);
  const samples: ProbeReport['samples'] = [];
  for (const item of items) {
    const prompt = renderPrompt(template.prompt, item);
    const output = await complete(prompt, template.maxNewTokens);
    samples.push({ item, prompt, output, verdict: parseVerdict(template, output) });
    onItem?.(samples.length, items.length);
  }
  const stats = critiqueStats(
    samples.map((s) => ({
      truth: s.item.correct,
      verdict: s.verdict,
      formatOk: s.verdict !== 'none',
      workingRight: true,
    })),
  );
  const predicted = { p: ratio, ...predictedBias({ p: ratio, alpha: stats.alpha, beta: stats.beta }) };
  return [{ stats, predicted, samples }, probeMetrics(stats, predicted)];
}

export function probeMetrics(s: CritiqueStats, pred: ProbeReport['predicted']): Record<string, number> {
  return {
    'probe/n': s.n,
    'probe/acc': s.acc,
    'probe/alpha': s.alpha,
    'probe/beta': s.beta,
    'probe/precision': s.precision,
    'probe/recall': s.recall,
    'probe/f1': s.f1,
    'probe/verdict_rate': s.verdictRate,
    'probe/confusion/tp': s.confusion.tp,
    'probe/confusion/fn': s.confusion.fn,
    'probe/confusion/fp': s.confusion.fp,
    'probe/confusion/tn': s.confusion.tn,
    'probe/confusion/none_on_correct': s.confusion.noneOnCorrect,
    'probe/confusion/none_on_wrong': s.confusion.noneOnWrong,
    'probe/pred/p': pred.p,
    'probe/pred/unweighted': pred.unweighted,
    'probe/pred/weighted': pred.weighted,
    'probe/pred/pull': pred.pull,
  };
}

/** A plain-text report (CLI). */
export function formatProbe(r: ProbeReport): string {
  const s = r.stats;
  const c = s.confusion;
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
  const lean =
    r.predicted.pull < 0 ? 'toward "wrong"' : r.predicted.pull > 0 ? 'toward "correct"' : 'neither way';
  return [
    `items ${s.n} (balanced: ${f(s.labelRatio)} correct)   verdict rate ${f(s.verdictRate)}   accuracy ${f(s.acc)}`,
    `alpha P(says correct | correct) ${f(s.alpha)}   beta P(says wrong | wrong) ${f(s.beta)}`,
    `precision ${f(s.precision)}   recall ${f(s.recall)}   F1 ${f(s.f1)}`,
    '',
    '                   says correct  says wrong  no verdict',
    `response correct   ${String(c.tp).padStart(12)}  ${String(c.fn).padStart(10)}  ${String(c.noneOnCorrect).padStart(10)}`,
    `response wrong     ${String(c.fp).padStart(12)}  ${String(c.tn).padStart(10)}  ${String(c.noneOnWrong).padStart(10)}`,
    '',
    `Appendix C at label ratio p = ${r.predicted.p}: expected critique reward unweighted 0.7·(p·α+(1−p)·β) = ${f(r.predicted.unweighted)},`,
    `weighted 0.7·(α+β)/2 = ${f(r.predicted.weighted)}; unweighted RL would pull this critic ${lean} (p − ½ = ${f(r.predicted.pull)}).`,
  ].join('\n');
}
