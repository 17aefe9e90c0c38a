// GcrlTrainer details a run's reproducibility and display rest on, with a scripted policy: the seed
// and sampling settings of every generation phase, one pass over the training questions before any
// repeats, Eq. 4's refinements in the samples inspector, and phase timings.
import { describe, expect, it } from 'vitest';
import { answerText, makeSplits, type Question } from '../../src/lm/tasks.js';
import { preset, type TrainConfig } from '../../src/rl/config.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';
import {
  promptParts,
  RecordingUpdater,
  type Script,
  ScriptedPolicy,
  scriptedCritique,
  wrongAnswer,
} from './trainer-script.js';

const TASK = { family: 'add', digits: 2, trainSize: 16, heldOutSize: 8, splitSeed: 21 } as const;
const splits = makeSplits({ ...TASK, seed: TASK.splitSeed });
const Q = new Map<string, Question>([...splits.train, ...splits.heldOut].map((q) => [q.text, q]));
const q = (t: string) => Q.get(t) as Question;

/** Half the samples right; the critic is right, wrong, right…; a refinement is right after a verdict "wrong". */
const script: Script = (p, k) => {
  const question = q(p.question);
  if (p.kind === 'response') return `${k % 2 ? answerText(question) : wrongAnswer(question)}<eos>`;
  if (p.kind === 'critique') {
    const truth = p.response === answerText(question);
    return scriptedCritique(question, p.response ?? '', truth, k % 2 ? 'wrong' : 'right');
  }
  return `${(p.critique ?? '').includes('<bad>') ? answerText(question) : wrongAnswer(question)}<eos>`;
};

function config(mode: TrainConfig['mode'], denoiseM = 0): TrainConfig {
  const c = preset(mode);
  c.mode = mode;
  c.task = { ...c.task, ...TASK };
  c.seed = 7;
  c.steps = 10;
  c.rollout = { ...c.rollout, questions: 4, n: 2, temperature: 0.8, topK: 5, topP: 0.9 };
  c.critique = { ...c.critique, input: 'random', pairs: 4, n: 3, denoiseM, staticResponses: 2 };
  c.grpo = { ...c.grpo, miniBatch: 1000, epochs: 1 };
  c.eval = { every: 0, questions: 4 };
  return c;
}

async function trainer(c: TrainConfig) {
  const policy = new ScriptedPolicy(script);
  const reference = new ScriptedPolicy(script);
  const t = await GcrlTrainer.fromParts(c, { policy, reference, updater: new RecordingUpdater() });
  return { t, policy, reference };
}

describe('GcrlTrainer details (scripted policy)', () => {
  it('seeds every phase from (seed, step, phase) and passes the sampling settings', async () => {
    const { t, policy, reference } = await trainer(config('crl-static', 1));
    const base = 7 * 1_000_003;
    expect(reference.calls.map((x) => [x.kind, x.opts.seed])).toEqual([['response', base + 1]]);
    await t.step();
    await t.step();
    expect(policy.calls.map((x) => [x.kind, x.opts.seed])).toEqual([
      ['response', base + 101],
      ['critique', base + 101 + 1],
      ['refinement', base + 101 + 2],
      ['response', base + 202],
      ['critique', base + 202 + 1],
      ['refinement', base + 202 + 2],
    ]);
    for (const call of [...policy.calls, ...reference.calls])
      expect(call.opts).toMatchObject({ temperature: 0.8, topK: 5, topP: 0.9, eos: 2 });
    t.dispose();
  });

  it('visits every training question once per pass, in a seeded order', async () => {
    const { t, policy } = await trainer(config('grl'));
    for (let s = 0; s < 4; s++) await t.step();
    const asked = policy.calls.flatMap((x) => [...new Set(x.prompts.map((p) => promptParts(p).question))]);
    expect(asked).toHaveLength(16);
    expect(new Set(asked)).toEqual(new Set(splits.train.map((x) => x.text)));
    await t.step();
    const again = await trainer(config('grl'));
    for (let s = 0; s < 5; s++) await again.t.step();
    expect(again.policy.calls.map((x) => x.prompts)).toEqual(policy.calls.map((x) => x.prompts)); // same seed, same run
    t.dispose();
  });

  it("shows Eq. 4's refinements (at most 20) with their critique and truth, only when denoising", async () => {
    const { t, policy } = await trainer(config('gcrl', 2));
    const m = await t.step();
    const refs = t.lastSamples.refinements ?? [];
    expect(refs).toHaveLength(20); // 4 pairs × 3 critiques × 2 refinements = 24, capped
    const critiques = policy.calls.find((x) => x.kind === 'critique')?.completions ?? [];
    for (const r of refs) {
      expect(critiques.map((x) => x.split('<eos>')[0])).toContain(r.critique.split('<eos>')[0]);
      expect(r.ok).toBe(r.response === `${answerText(q(r.question))}<eos>`);
      expect(r.ok).toBe(r.critique.includes('<bad>'));
    }
    expect(m['reward/response_mean']).toBe(0.5);
    expect(m['gen/acc']).toBe(0.5);
    for (const k of ['rollout1', 'filter', 'rollout2', 'refine', 'ref', 'update', 'step'])
      expect(m[`time/${k}`], k).toBeGreaterThanOrEqual(0);
    expect(m['time/step']).toBeGreaterThanOrEqual((m['time/rollout1'] ?? 0) + (m['time/rollout2'] ?? 0));
    const plain = await trainer(config('gcrl', 0));
    await plain.t.step();
    expect(plain.t.lastSamples.refinements).toBeUndefined();
    t.dispose();
  });
});
