// GcrlTrainer driven by a scripted policy (GcrlTrainer.fromParts): every mode × critique input ×
// grouping × Eq. 4 on/off, two steps each, with rewards, advantages (values and signs), the pairs
// judged, their labels and every sample handed to the update recomputed here from the script alone.
import { describe, expect, it } from 'vitest';
import { answerText, makeSplits, type Question } from '../../src/lm/tasks.js';
import { encode } from '../../src/lm/tokenizer.js';
import { verify } from '../../src/lm/verifier.js';
import { preset, type TrainConfig } from '../../src/rl/config.js';
import type { RewardTable } from '../../src/rl/rewards.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';
import {
  type CriticMove,
  type GenerateCall,
  policyLogp,
  promptParts,
  RecordingUpdater,
  referenceLogp,
  type Script,
  ScriptedPolicy,
  scriptedCritique,
  wrongAnswer,
} from './trainer-script.js';

type Mode = 'grl' | 'crl-static' | 'crl-dynamic' | 'gcrl' | 'critique-rl';
type Input = 'filter' | 'random' | 'randomReweight';
type Grouping = 'per-prompt' | 'mixed';

/** Asymmetric on purpose: swapping truth, verdict or sign changes every number. */
const TABLE: RewardTable = {
  correctRight: 0.9,
  correctWrong: -0.2,
  wrongRight: 0.5,
  wrongWrong: -0.4,
  missing: -0.1,
};
/** Correct responses (of n = 4) per question slot, at step 1 and at later steps: p = 9/16, then 7/16. */
const COUNTS = [
  [1, 3, 4, 1],
  [0, 2, 4, 1],
];
const N = 4;
/** The critic's moves by sample index within a pair (critique.n = 3). */
const MOVES: CriticMove[] = ['right', 'wrong', 'none'];
const DENOISE = { correct: 0.1, wrong: 0.7 }; // Eq. 4's coefficients, as the paper states them
const TASK = { family: 'add', digits: 2, trainSize: 16, heldOutSize: 16, splitSeed: 1234 } as const;

const splits = makeSplits({ ...TASK, seed: TASK.splitSeed });
const QUESTIONS = new Map<string, Question>([...splits.train, ...splits.heldOut].map((q) => [q.text, q]));
const question = (text: string): Question => {
  const q = QUESTIONS.get(text);
  if (!q) throw new Error(`unknown question ${text}`);
  return q;
};
const countsAt = (call: number): number[] => COUNTS[Math.min(call, COUNTS.length - 1)] as number[];

/** Responses: slot s of call c gets countsAt(c)[s % 4] right answers; critiques follow MOVES; a refinement is right iff the critique gave a verdict. */
const script: Script = (p, k, slot, call) => {
  const q = question(p.question);
  if (p.kind === 'response') {
    const right = k < (countsAt(call)[slot % 4] as number);
    return `${right ? answerText(q) : wrongAnswer(q, k)}<eos>`;
  }
  if (p.kind === 'critique') {
    const r = p.response ?? '';
    return scriptedCritique(q, r, verify(q, r), MOVES[k % MOVES.length] as CriticMove);
  }
  return `${/<ok>|<bad>/.test(p.critique ?? '') ? answerText(q) : wrongAnswer(q)}<eos>`;
};

function config(
  mode: Mode,
  o: {
    input?: Input;
    grouping?: Grouping;
    denoiseM?: number;
    miniBatch?: number;
    epochs?: number;
    skip?: boolean;
  },
): TrainConfig {
  const c = preset(mode);
  c.mode = mode;
  c.task = { ...c.task, ...TASK };
  c.seed = 7;
  c.steps = 2; // critique-rl: step 1 is stage I (no Eq. 4), step 2 stage II
  c.rollout = { ...c.rollout, questions: 4, n: N, temperature: 1, topK: 0, topP: 1 };
  c.critique = {
    ...c.critique,
    input: o.input ?? 'filter',
    pairs: 4,
    n: MOVES.length,
    cacheCapacity: 64,
    reward: { ...TABLE },
    denoiseM: o.denoiseM ?? 0,
    staticResponses: N,
  };
  c.grpo = {
    ...c.grpo,
    advantage: 'grpo',
    grouping: o.grouping ?? 'per-prompt',
    skipZeroVariance: o.skip ?? false,
    miniBatch: o.miniBatch ?? 1000,
    epochs: o.epochs ?? 1,
    lr: 2e-4,
    clipLow: 0.2,
    clipHigh: 0.28,
    klCoef: 3e-3,
    kl: 'k2',
    aggregation: 'seq-mean-token-mean',
  };
  c.eval = { ...c.eval, every: 0, questions: 8 };
  return c;
}

// ---- The expectation, written out from the paper's equations (independent of src/rl) ----

const mean = (r: readonly number[]) => r.reduce((a, b) => a + b, 0) / r.length;
/** GRPO: (r − mean)/(unbiased std + 1e-6); 0 for a group whose rewards are all equal. */
function grpoAdv(r: readonly number[]): number[] {
  if (r.length < 2 || Math.max(...r) - Math.min(...r) <= 1e-12) return r.map(() => 0);
  const m = mean(r);
  const sd = Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / (r.length - 1));
  return r.map((x) => (x - m) / (sd + 1e-6));
}

interface Expected {
  prompt: string;
  completion: string;
  reward: number;
  advantage: number;
  kept: boolean;
  truth?: boolean; // critiques: the judged response's label
  says?: 'correct' | 'wrong' | 'none';
}

/** A critique's verdict under the script: right or wrong about the truth, or none. */
const verdictOf = (truth: boolean, move: CriticMove): 'correct' | 'wrong' | 'none' =>
  move === 'none' ? 'none' : (move === 'right') === truth ? 'correct' : 'wrong';

function tableReward(truth: boolean, says: 'correct' | 'wrong' | 'none'): number {
  if (says === 'none') return TABLE.missing;
  if (truth) return says === 'correct' ? TABLE.correctRight : TABLE.correctWrong;
  return says === 'wrong' ? TABLE.wrongRight : TABLE.wrongWrong;
}

/** The step's rollouts, grouped as the trainer groups them, with rewards and advantages. */
function expectStep(
  c: TrainConfig,
  calls: { response: GenerateCall; critique?: GenerateCall; refinement?: GenerateCall },
  p: number,
): { groups: Expected[][]; responses: Expected[]; critiques: Expected[] } {
  const responses = calls.response.prompts.map((prompt, i) => {
    const q = question(promptParts(prompt).question);
    const completion = calls.response.completions[i] as string;
    const ok = completion === `${answerText(q)}<eos>`;
    return { prompt, completion, reward: ok ? 1 : 0, advantage: 0, kept: true };
  });
  const n = c.critique.n;
  const refined = new Map<string, number>(); // critique text → right refinements
  calls.refinement?.prompts.forEach((pr, i) => {
    const body = promptParts(pr).critique ?? '';
    const q = question(promptParts(pr).question);
    const right = calls.refinement?.completions[i] === `${answerText(q)}<eos>` ? 1 : 0;
    refined.set(body, (refined.get(body) ?? 0) + right);
  });
  const critiques = (calls.critique?.prompts ?? []).map((prompt, i) => {
    const parts = promptParts(prompt);
    const q = question(parts.question);
    const truth = verify(q, parts.response ?? '');
    const says = verdictOf(truth, MOVES[i % n] as CriticMove);
    let reward = tableReward(truth, says);
    if (c.critique.input === 'randomReweight') reward *= truth ? 1 / (2 * p) : 1 / (2 * (1 - p));
    const completion = calls.critique?.completions[i] as string;
    if (calls.refinement) {
      const m = c.critique.denoiseM;
      const k = refined.get(completion.split('<eos>')[0] ?? '') ?? 0;
      // identical critiques (same pair twice) share one count: k / (m · copies)
      const copies = (calls.critique?.completions ?? []).filter((x) => x === completion).length;
      if (says !== 'none') reward += (DENOISE[says] * k) / (m * copies);
    }
    return { prompt, completion, reward, advantage: 0, kept: true, truth, says };
  });
  const trainsResponses = c.mode === 'grl' || c.mode === 'gcrl';
  const groups: Expected[][] = [];
  if (trainsResponses) for (let i = 0; i < responses.length; i += N) groups.push(responses.slice(i, i + N));
  for (let i = 0; i < critiques.length; i += n) groups.push(critiques.slice(i, i + n));
  if (c.grpo.grouping === 'mixed') {
    const all = groups.flat();
    const adv = grpoAdv(all.map((e) => e.reward));
    const zeroVar = adv.every((a) => a === 0);
    all.forEach((e, i) => {
      e.advantage = adv[i] as number;
      e.kept = !(zeroVar && c.grpo.skipZeroVariance);
    });
  } else {
    for (const g of groups) {
      const adv = grpoAdv(g.map((e) => e.reward));
      const zeroVar = adv.every((a) => a === 0);
      g.forEach((e, i) => {
        e.advantage = adv[i] as number;
        e.kept = !(zeroVar && c.grpo.skipZeroVariance);
      });
    }
  }
  return { groups, responses, critiques };
}

/** The critic's batch metrics under the script: per pair one right verdict, one wrong, one missing. */
function expectCriticMetrics(m: Record<string, number>, critiques: Expected[]): void {
  const t = critiques.filter((x) => x.truth).length / MOVES.length; // truly correct pairs
  const f = critiques.length / MOVES.length - t;
  const near = (k: string, v: number) =>
    Number.isNaN(v) ? expect(m[k], k).toBeNaN() : expect(m[k], k).toBeCloseTo(v, 12);
  near('critic/acc', 1 / 3);
  near('critic/precision', t / (t + f));
  const alpha = t ? 1 / 3 : Number.NaN;
  const beta = f ? 1 / 3 : Number.NaN;
  near('critic/recall', alpha);
  near('critic/alpha', alpha);
  near('critic/beta', beta);
  near('critic/f1', t ? (2 * (t / (t + f)) * alpha) / (t / (t + f) + alpha) : Number.NaN);
  near('critic/verdict_rate', 2 / 3);
  near('critic/format_rate', 2 / 3);
  near('critic/right_verdict_wrong_working', 0);
  near('critic/label_ratio', t / (t + f));
  for (const [k, v] of Object.entries({ tp: t, fn: t, none_on_correct: t, fp: f, tn: f, none_on_wrong: f }))
    near(`critic/confusion/${k}`, v);
  const onCorrect = alpha * TABLE.correctRight + (1 - alpha) * TABLE.correctWrong;
  const onWrong = beta * TABLE.wrongRight + (1 - beta) * TABLE.wrongWrong;
  const p = t / (t + f);
  near('critic/predicted_unweighted', p * onCorrect + (1 - p) * onWrong);
  near('critic/predicted_weighted', (onCorrect + onWrong) / 2);
}

const sampleKey = (tokens: ArrayLike<number>, promptLen: number, adv: number) =>
  `${Array.from(tokens).join(',')}|${promptLen}|${adv.toFixed(6)}`;

async function run(c: TrainConfig) {
  const policy = new ScriptedPolicy(script, policyLogp);
  const reference = new ScriptedPolicy(script, referenceLogp);
  const updater = new RecordingUpdater();
  const t = await GcrlTrainer.fromParts(c, { policy, reference, updater });
  return { t, policy, reference, updater };
}

describe('GcrlTrainer step, exactly (scripted policy)', () => {
  const modes: Mode[] = ['grl', 'crl-static', 'crl-dynamic', 'gcrl', 'critique-rl'];
  const inputs: Input[] = ['filter', 'random', 'randomReweight'];
  const groupings: Grouping[] = ['per-prompt', 'mixed'];
  for (const mode of modes)
    for (const input of mode === 'grl' || mode === 'crl-static' ? (['filter'] as Input[]) : inputs)
      for (const grouping of groupings)
        for (const denoiseM of mode === 'grl' ? [0] : mode === 'critique-rl' ? [1] : [0, 2]) {
          it(`${mode}, ${input}, ${grouping}, Eq. 4 m=${denoiseM}: rewards, advantages, pairs, labels, samples`, async () => {
            const c = config(mode, { input, grouping, denoiseM });
            const { t, policy, reference, updater } = await run(c);
            let p = 0;
            const seenResponses = new Set<string>(); // "question|body|truth" of every response so far
            for (let step = 1; step <= 2; step++) {
              const before = policy.calls.length;
              const updatesBefore = updater.batches.length;
              const m = await t.step();
              const calls = policy.calls.slice(before);
              const byKind = (k: string) => calls.find((x) => x.kind === k);
              const response = byKind('response') as GenerateCall;
              const critique = byKind('critique');
              const refinement = byKind('refinement');
              expect(calls.map((x) => x.kind)).toEqual([
                'response',
                ...(mode === 'grl' ? [] : ['critique']),
                ...((mode === 'critique-rl' ? step === 2 : denoiseM > 0) && mode !== 'grl'
                  ? ['refinement']
                  : []),
              ]);
              // Eq. 1 and the running p (momentum 0.9, first batch sets it).
              const acc = mean(countsAt(step - 1)) / N;
              p = step === 1 ? acc : 0.9 * p + 0.1 * acc;
              expect(m['gen/acc']).toBeCloseTo(acc, 12);
              expect(m['gen/p']).toBeCloseTo(p, 12);
              const e = expectStep(c, { response, critique, refinement }, p);

              // Responses as the samples inspector shows them.
              expect(t.lastSamples.responses).toHaveLength(e.responses.length);
              t.lastSamples.responses.forEach((r, i) => {
                const x = e.responses[i] as Expected;
                expect(r.question).toBe(promptParts(x.prompt).question);
                expect(r.response).toBe(x.completion);
                expect(r.ok).toBe(x.reward === 1);
                expect(r.reward).toBe(x.reward);
                const trained = mode === 'grl' || mode === 'gcrl';
                expect(r.advantage).toBeCloseTo(trained ? x.advantage : 0, 6);
                seenResponses.add(`${r.question}|${r.response.replace('<eos>', '')}|${r.ok}`);
              });
              if (mode === 'grl' || mode === 'gcrl') {
                // a right response beats every wrong one of its group: signs follow Eq. 1
                for (const x of e.responses)
                  if (x.advantage !== 0) expect(Math.sign(x.advantage)).toBe(x.reward ? 1 : -1);
              }

              // The pairs judged, their labels, rewards and advantages.
              expect(t.lastSamples.critiques).toHaveLength(e.critiques.length);
              t.lastSamples.critiques.forEach((r, i) => {
                const x = e.critiques[i] as Expected;
                const parts = promptParts(x.prompt);
                expect(r.question).toBe(parts.question);
                expect(r.response).toBe(parts.response);
                expect(r.ok).toBe(x.truth);
                expect(r.critique).toBe(x.completion);
                expect(r.verdict).toBe(x.says);
                expect(r.reward).toBeCloseTo(x.reward, 9);
                expect(r.advantage).toBeCloseTo(x.advantage, 6);
              });
              const pairs = e.critiques.filter((_, i) => i % c.critique.n === 0);
              if (mode !== 'grl') expect(pairs).toHaveLength(c.critique.pairs);
              for (const x of pairs) {
                const parts = promptParts(x.prompt);
                const key = `${parts.question}|${parts.response}|${x.truth}`;
                if (mode === 'crl-static') {
                  // from the reference's responses sampled before training
                  const pool = reference.calls[0] as GenerateCall;
                  expect(pool.prompts.length).toBe(TASK.trainSize * N);
                  expect(pool.completions).toContain(`${parts.response}<eos>`);
                } else {
                  expect(seenResponses.has(key), key).toBe(true);
                }
              }
              if (mode !== 'grl' && mode !== 'crl-static') {
                const truths = pairs.map((x) => x.truth);
                expect(m['critic/label_ratio']).toBeCloseTo(
                  truths.filter(Boolean).length / truths.length,
                  12,
                );
                if (input === 'filter') {
                  // the filter keeps one right and one wrong response of each question with both
                  const mixed = countsAt(step - 1).filter((k) => k > 0 && k < N).length;
                  expect(m['filter/kept_questions']).toBe(mixed);
                  expect(m['filter/pairs']).toBe(2 * mixed);
                  expect(m['filter/dropped_all_correct']).toBe(
                    countsAt(step - 1).filter((k) => k === N).length,
                  );
                  expect(m['filter/dropped_all_wrong']).toBe(
                    countsAt(step - 1).filter((k) => k === 0).length,
                  );
                } else {
                  expect(m['random/pool']).toBe(4 * N);
                  expect(m['random/pool_label_ratio']).toBeCloseTo(acc, 12);
                  const judged = pairs.map((x) => x.prompt);
                  // drawn without replacement: a pair repeats only as often as identical responses exist
                  for (const k of new Set(judged)) {
                    const copies = response.prompts.filter(
                      (pr, i) => k === `${pr}${(response.completions[i] as string).replace('<eos>', '')}<c>`,
                    ).length;
                    expect(copies).toBeGreaterThan(0);
                    expect(judged.filter((x) => x === k).length).toBeLessThanOrEqual(copies);
                  }
                }
              }
              if (refinement) {
                expect(refinement.prompts).toHaveLength(
                  (critique?.prompts.length ?? 0) * (mode === 'critique-rl' ? 1 : denoiseM),
                );
                expect(m['reward/critique_total_mean']).toBeCloseTo(
                  mean(e.critiques.map((x) => x.reward)),
                  9,
                );
                // refinements are right exactly after critiques with a verdict: 2 of every 3
                expect(m['reward/refine_acc']).toBeCloseTo(2 / 3, 12);
              } else {
                expect('reward/denoise_mean' in m).toBe(false);
                if (critique)
                  expect(m['reward/critique_mean']).toBeCloseTo(mean(e.critiques.map((x) => x.reward)), 9);
              }
              if (critique) expectCriticMetrics(m, e.critiques);

              // Every sample handed to the update: tokens, prompt length, advantage, behaviour and reference log-probs.
              const got = updater.batches.slice(updatesBefore).flatMap((b) => b.batch);
              const want = e.groups.flat().filter((x) => x.kept);
              expect(got.map((s) => sampleKey(s.tokens, s.promptLen, s.advantage)).sort()).toEqual(
                want
                  .map((x) =>
                    sampleKey(
                      [...encode(x.prompt), ...encode(x.completion)],
                      encode(x.prompt).length,
                      x.advantage,
                    ),
                  )
                  .sort(),
              );
              for (const s of got) {
                const n = s.tokens.length - s.promptLen;
                expect(Array.from(s.oldLogps)).toEqual(Array.from({ length: n }, (_, i) => policyLogp(i)));
                expect(Array.from(s.refLogps)).toEqual(Array.from({ length: n }, (_, i) => referenceLogp(i)));
              }
              expect(m['actor/samples']).toBe(want.length);
              expect(m['adv/mixed']).toBe(grouping === 'mixed' ? 1 : 0);
              for (const b of updater.batches.slice(updatesBefore))
                expect(b.hyper).toMatchObject({
                  lr: 2e-4,
                  clipLow: 0.2,
                  clipHigh: 0.28,
                  klCoef: 3e-3,
                  kl: 'k2',
                  aggregation: 'seq-mean-token-mean',
                });
              if (mode !== 'grl' && mode !== 'crl-static' && grouping === 'per-prompt') {
                // per pair: the right verdict earns the most, so its advantage is positive
                for (let i = 0; i < e.critiques.length; i += c.critique.n) {
                  const g = e.critiques.slice(i, i + c.critique.n);
                  if (g.some((x) => x.advantage !== 0))
                    expect((g[0] as Expected).advantage).toBeGreaterThan(0);
                }
              }
            }
            t.dispose();
            expect([policy.disposed, reference.disposed, updater.disposed]).toEqual([true, true, true]);
          });
        }
});
