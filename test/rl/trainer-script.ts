// Test doubles for driving GcrlTrainer through GcrlTrainer.fromParts: a policy that answers from a
// script (real token ids through the real tokenizer, cut at maxNew like a real policy) and records
// every call, and an updater that records every mini-batch the GRPO update would receive.
import { compareMarks } from '../../src/lm/formats.js';
import { answerText, type Question } from '../../src/lm/tasks.js';
import { decode, encode, SPECIALS as S, VOCAB } from '../../src/lm/tokenizer.js';
import type { GenerateOptions, Generation } from '../../src/model/policy.js';
import type { GrpoHyper, GrpoSample, GrpoStepMetrics } from '../../src/rl/grpo.js';
import type { TrainerPolicy, TrainerUpdater } from '../../src/rl/trainer.js';

export type PromptKind = 'response' | 'critique' | 'refinement';

/** A prompt taken apart: the question text, the judged response and the critique, as present. */
export interface PromptParts {
  kind: PromptKind;
  question: string; // e.g. "37+85="
  response?: string; // critique and refinement prompts
  critique?: string; // refinement prompts
}

export function promptParts(text: string): PromptParts {
  const m = /^<bos><q>([^<]*)<r>(?:(.*?)<c>(?:(.*)<f>)?)?$/.exec(text);
  if (!m) throw new Error(`not a prompt of the three formats: ${text}`);
  const [, question = '', response, critique] = m;
  const kind: PromptKind =
    critique !== undefined ? 'refinement' : response !== undefined ? 'critique' : 'response';
  return { kind, question, response, critique };
}

/**
 * What to write for one prompt. `occurrence`: how many identical prompts came before it in the same
 * call (the k-th sample of a group); `slot`: the order in which its question first appeared in the
 * call; `call`: how many earlier calls this policy answered with prompts of the same kind.
 */
export type Script = (p: PromptParts, occurrence: number, slot: number, call: number) => string;

/** Per-token log-probs a scripted policy reports: distinct per position, so misalignment shows. */
export const policyLogp = (i: number): number => -0.1 * (i + 1);
export const referenceLogp = (i: number): number => -0.5 - 0.05 * (i + 1);

export interface GenerateCall {
  kind: PromptKind;
  prompts: string[];
  completions: string[];
  opts: Partial<GenerateOptions>;
}

export class ScriptedPolicy implements TrainerPolicy {
  readonly calls: GenerateCall[] = [];
  readonly logProbCalls: { tokens: number[]; promptLen: number }[][] = [];
  disposed = false;

  constructor(
    private readonly script: Script,
    private readonly logp: (i: number) => number = policyLogp,
  ) {}

  async generate(
    prompts: readonly ArrayLike<number>[],
    opts: Partial<GenerateOptions> & Pick<GenerateOptions, 'eos'>,
  ): Promise<Generation[]> {
    const seen = new Map<string, number>();
    const slots = new Map<string, number>();
    const texts = prompts.map((p) => decode(p));
    const parts = texts.map(promptParts);
    const kinds = new Set(parts.map((p) => p.kind));
    if (kinds.size > 1) throw new Error(`one generate call mixed prompt kinds: ${[...kinds]}`);
    const kind = parts[0]?.kind ?? 'response';
    const call = this.calls.filter((c) => c.kind === kind).length;
    const completions = texts.map((t, i) => {
      const p = parts[i] as PromptParts;
      const k = seen.get(t) ?? 0;
      seen.set(t, k + 1);
      if (!slots.has(p.question)) slots.set(p.question, slots.size);
      return this.script(p, k, slots.get(p.question) as number, call);
    });
    const out = completions.map((c) => {
      const all = [...encode(c)];
      const tokens = all.slice(0, opts.maxNew ?? all.length);
      return { tokens, logps: tokens.map((_, i) => this.logp(i)), finished: tokens.at(-1) === opts.eos };
    });
    this.calls.push({
      kind,
      prompts: texts,
      completions: out.map((g) => decode(g.tokens)),
      opts: { ...opts },
    });
    return out;
  }

  async logProbs(
    seqs: readonly { tokens: ArrayLike<number>; promptLen: number }[],
  ): Promise<{ logp: number[]; entropy: number[] }[]> {
    this.logProbCalls.push(seqs.map((s) => ({ tokens: Array.from(s.tokens), promptLen: s.promptLen })));
    return seqs.map((s) => {
      const n = s.tokens.length - s.promptLen;
      return {
        logp: Array.from({ length: n }, (_, i) => this.logp(i)),
        entropy: Array.from({ length: n }, () => 0),
      };
    });
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** Records what each GRPO update receives; reports the mini-batch's mean advantage as its loss. */
export class RecordingUpdater implements TrainerUpdater {
  readonly batches: { batch: GrpoSample[]; hyper: GrpoHyper }[] = [];
  disposed = false;

  async update(batch: readonly GrpoSample[], h: GrpoHyper): Promise<GrpoStepMetrics> {
    this.batches.push({
      batch: batch.map((s) => ({
        tokens: Array.from(s.tokens),
        promptLen: s.promptLen,
        advantage: s.advantage,
        oldLogps: Array.from(s.oldLogps),
        refLogps: Array.from(s.refLogps),
      })),
      hyper: { ...h },
    });
    const meanAdv = batch.reduce((a, s) => a + s.advantage, 0) / batch.length;
    return {
      'actor/loss': -meanAdv,
      'actor/pg_loss': -meanAdv,
      'actor/kl': 0,
      'actor/entropy': 0,
      'actor/clip_frac': 0,
      'actor/ratio_mean': 1,
      'actor/grad_norm': batch.length,
    };
  }

  /** Every sample of every update, in the order received. */
  get samples(): GrpoSample[] {
    return this.batches.flatMap((b) => b.batch);
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** A wrong response of the right width: the answer with its first digit moved by 1 + k (k < 9). */
export function wrongAnswer(q: Question, k = 0): string {
  const a = answerText(q);
  return `${(Number(a[0]) + 1 + k) % 10}${a.slice(1)}`;
}

/** The critic's three scripted behaviours, by sample index within a pair's group. */
export type CriticMove = 'right' | 'wrong' | 'none';

/** A critique with the ideal working and marks and the verdict `move` asks for (right or wrong about `truth`). */
export function scriptedCritique(q: Question, response: string, truth: boolean, move: CriticMove): string {
  const w = answerText(q);
  if (move === 'none') return `${w}${S.EOS}`;
  const says = move === 'right' ? truth : !truth;
  return `${w}${compareMarks(w, response)}${says ? S.OK : S.BAD}${S.EOS}`;
}

export const EOS = VOCAB.EOS;
