// The second-order phase of a GC-RL step: critiques of the chosen (question, response) pairs,
// optional refinements for Eq. 4's reward, critique rewards and the critic's batch metrics.
import { critiqueStats } from '../eval/metrics.js';
import {
  type CritiqueCompletion,
  critiqueBody,
  repeatEach,
  rolloutCritiques,
  rolloutRefinements,
} from '../lm/rollout.js';
import { answerText, type Question } from '../lm/tasks.js';
import type { GenerateOptions, Policy } from '../model/policy.js';
import type { TrainConfig } from './config.js';
import {
  critiqueRewards,
  type Metrics,
  predictedBias,
  snake,
  weightedCritiqueRewards,
  withDenoise,
} from './rewards.js';

/** One generated sequence with what the update needs. */
export interface Rollout {
  prompt: Int32Array;
  tokens: number[]; // completion
  logps: number[];
  text: string;
  reward: number;
  advantage: number;
  train: boolean;
  pair?: Answer; // critiques: the (question, response) pair judged
}

/** A first-order response, as the critic sees it. */
export interface Answer {
  ok: boolean;
  question: Question;
  body: string;
}

/** Adds a phase's wall time (seconds) to `time/<name>`. */
export type Timed = <T>(name: string, fn: () => Promise<T> | T) => Promise<T>;

/** What the phase needs from the trainer. */
export interface PhaseContext {
  policy: Pick<Policy, 'generate'>; // a Policy, or a test's scripted one
  cfg: TrainConfig;
  sampling: (seedOffset: number) => Omit<GenerateOptions, 'maxNew'>;
  denoiseM: number; // refinements per critique this step (0: Eq. 4 off)
  timed: Timed;
  refinements?: Refinement[]; // when given, the step's refinements are appended here
}

/** A refined response written after a critique (Eq. 4), as the samples inspector shows it. */
export interface Refinement {
  question: string;
  critique: string;
  response: string;
  ok: boolean;
}

/** Second-order rollout on `pairs`, optional refinements, and critique rewards. */
export async function critiquePhase(
  x: PhaseContext,
  pairs: readonly Answer[],
  weighted: boolean,
  m: Metrics,
): Promise<Rollout[][]> {
  const c = x.cfg;
  if (!pairs.length) return [];
  const n = c.critique.n;
  const items = repeatEach(
    pairs.map((a) => ({ question: a.question, response: a.body })),
    n,
  );
  const done = await x.timed('rollout2', () => rolloutCritiques(x.policy, items, x.sampling(1)));
  const texts = done.map((d) => d.text);
  const parsed = done.map((d) => d.parsed);
  const truths = done.map((_, i) => (pairs[Math.floor(i / n)] as Answer).ok);
  const verdicts = parsed.map((p) => p.verdict);
  let [rewards, rm] = weighted
    ? weightedCritiqueRewards(c.critique.reward, truths, verdicts, m['gen/p'] ?? 0.5)
    : critiqueRewards(c.critique.reward, truths, verdicts);
  Object.assign(m, rm);
  const denoiseM = x.denoiseM;
  if (denoiseM > 0) {
    const ks = await x.timed('refine', () => refineCounts(x, pairs, n, texts, denoiseM));
    [rewards, rm] = withDenoise(rewards, verdicts, ks, denoiseM);
    Object.assign(m, rm);
  }
  const stats = critiqueStats(
    parsed.map((p, i) => {
      const a = pairs[Math.floor(i / n)] as Answer;
      return {
        truth: a.ok,
        verdict: p.verdict,
        formatOk: p.status === 'ok',
        workingRight: p.working === answerText(a.question),
      };
    }),
  );
  for (const k of [
    'acc',
    'precision',
    'recall',
    'f1',
    'alpha',
    'beta',
    'verdictRate',
    'formatRate',
    'rightVerdictWrongWorking',
  ] as const) {
    m[`critic/${snake(k)}`] = stats[k];
  }
  for (const [k, v] of Object.entries(stats.confusion)) m[`critic/confusion/${snake(k)}`] = v;
  m['critic/label_ratio'] = stats.labelRatio;
  const pred = predictedBias(
    { p: stats.labelRatio, alpha: stats.alpha, beta: stats.beta },
    c.critique.reward,
  );
  m['critic/predicted_unweighted'] = pred.unweighted;
  m['critic/predicted_weighted'] = pred.weighted;
  return pairs.map((pair, j) =>
    Array.from({ length: n }, (_, k) => {
      const i = j * n + k;
      const d = done[i] as CritiqueCompletion;
      return {
        prompt: d.prompt,
        tokens: d.tokens,
        logps: d.logps,
        text: d.text,
        reward: rewards[i] as number,
        advantage: 0,
        train: true,
        pair,
      };
    }),
  );
}

/** Eq. 4's k: how many of `mRefine` refinements after each critique are correct. */
async function refineCounts(
  x: PhaseContext,
  pairs: readonly Answer[],
  n: number,
  critiques: readonly string[],
  mRefine: number,
): Promise<number[]> {
  const qs = critiques.map((_, i) => pairs[Math.floor(i / n)] as Answer);
  const items = critiques.flatMap((text, i) => {
    const a = qs[i] as Answer;
    return repeatEach([{ question: a.question, response: a.body, critique: critiqueBody(text) }], mRefine);
  });
  const done = await rolloutRefinements(x.policy, items, x.sampling(2));
  return critiques.map((critique, i) => {
    const q = (qs[i] as Answer).question;
    let k = 0;
    for (const r of done.slice(i * mRefine, (i + 1) * mRefine)) {
      if (r.ok) k++;
      if (x.refinements && x.refinements.length < 20)
        x.refinements.push({ question: q.text, critique, response: r.text, ok: r.ok });
    }
    return k;
  });
}
