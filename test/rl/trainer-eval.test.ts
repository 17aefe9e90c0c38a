// GcrlTrainer around the step, with a scripted policy: held-out evaluation numbers, mini-batches and
// epochs of the update, zero-variance groups skipped, the samples inspector's cap, the step's
// length and throughput metrics, and configs refused before any part is used.
import { describe, expect, it } from 'vitest';
import { answerText, makeSplits, type Question } from '../../src/lm/tasks.js';
import { preset, type TrainConfig } from '../../src/rl/config.js';
import { GcrlTrainer } from '../../src/rl/trainer.js';
import {
  type GenerateCall,
  RecordingUpdater,
  type Script,
  ScriptedPolicy,
  scriptedCritique,
} from './trainer-script.js';

const TASK = { family: 'add', digits: 2, trainSize: 24, heldOutSize: 16, splitSeed: 99 } as const;
const splits = makeSplits({ ...TASK, seed: TASK.splitSeed });
const Q = new Map<string, Question>([...splits.train, ...splits.heldOut].map((q) => [q.text, q]));
const q = (text: string) => Q.get(text) as Question;

/** Right answers for the first `right(slot, call)` samples of each question, a short wrong one ("1") after. */
const scriptWith =
  (right: (slot: number, call: number) => number, says: 'correct' | 'right' = 'right'): Script =>
  (p, k, slot, call) => {
    const question = q(p.question);
    if (p.kind === 'critique') {
      const truth = p.response === answerText(question);
      return scriptedCritique(
        question,
        p.response ?? '',
        truth,
        says === 'right' || truth ? 'right' : 'wrong',
      );
    }
    return k < right(slot, call) ? `${answerText(question)}<eos>` : '1<eos>';
  };

function config(mode: TrainConfig['mode'], over: (c: TrainConfig) => void = () => {}): TrainConfig {
  const c = preset(mode);
  c.mode = mode;
  c.task = { ...c.task, ...TASK };
  c.steps = 4;
  c.rollout = { ...c.rollout, questions: 4, n: 4, temperature: 1, topK: 0, topP: 1 };
  c.critique = { ...c.critique, input: 'filter', pairs: 2, n: 2, denoiseM: 0, staticResponses: 4 };
  c.grpo = {
    ...c.grpo,
    advantage: 'grpo',
    grouping: 'per-prompt',
    skipZeroVariance: false,
    miniBatch: 1000,
    epochs: 1,
  };
  c.eval = { every: 0, questions: 8 };
  over(c);
  return c;
}

async function trainer(c: TrainConfig, script: Script) {
  const policy = new ScriptedPolicy(script);
  const reference = new ScriptedPolicy(script);
  const updater = new RecordingUpdater();
  return { t: await GcrlTrainer.fromParts(c, { policy, reference, updater }), policy, reference, updater };
}

describe('GcrlTrainer around the step (scripted policy)', () => {
  it('evaluates on the held-out questions and on the balanced set built from the reference', async () => {
    // reference: every answer right in its first call, then slot%4 = 0 wrong → questions 0 and 4 kept
    const right = (slot: number, call: number) => (call === 0 || slot % 4 !== 0 ? 99 : 0);
    const c = config('gcrl', (x) => {
      x.eval = { every: 2, questions: 8 };
    });
    const { t, policy, reference } = await trainer(c, scriptWith(right, 'correct'));
    const sampled = () => reference.calls.filter((x) => x.kind === 'response');
    expect(sampled()).toHaveLength(0); // the set is built at the first evaluation, not before training
    const m1 = await t.step();
    expect(Object.keys(m1).filter((k) => k.startsWith('eval/'))).toEqual([]); // every 2 steps
    expect(sampled()).toHaveLength(0);
    const m = await t.step();
    const set = sampled();
    expect(set).toHaveLength(4); // four samples per held-out question
    // seeded by the run's seed: sample s of the set draws with seed + 1000·s
    expect(set.map((x) => x.opts.seed)).toEqual([0, 1, 2, 3].map((k) => c.seed + 1000 * k));
    for (const call of set)
      expect(call.prompts.map((p) => p.slice(8, p.indexOf('<r>')))).toEqual(
        splits.heldOut.slice(0, 8).map((x) => x.text),
      );
    // generation: policy's eval call is its 3rd response call → slot%4 = 0 wrong: 6 of 8 right
    const evalCall = policy.calls.filter((x) => x.kind === 'response')[2] as GenerateCall;
    expect(evalCall.opts.temperature).toBe(0);
    expect(m['eval/gen/acc']).toBe(6 / 8);
    // critic says "correct" to everything: 2 right of 4 items, precision 1/2, recall 1, β 0
    expect(m['eval/critic/acc']).toBe(0.5);
    expect(m['eval/critic/precision']).toBe(0.5);
    expect(m['eval/critic/recall']).toBe(1);
    expect(m['eval/critic/f1']).toBeCloseTo(2 / 3, 12);
    expect(m['eval/critic/alpha']).toBe(1);
    expect(m['eval/critic/beta']).toBe(0);
    expect(m['eval/critic/confusion/tp']).toBe(2);
    expect(m['eval/critic/confusion/fp']).toBe(2);
    expect(m['eval/critic/confusion/tn']).toBe(0);
    expect(m['eval/critic/confusion/none_on_correct']).toBe(0);
    const direct = await t.evaluate();
    expect(direct['eval/critic/acc']).toBe(0.5);
    expect(sampled()).toHaveLength(4); // built once
    const calls = reference.calls.length;
    const base = await t.evaluate('base'); // the base checkpoint: the reference answers
    expect(reference.calls.length).toBeGreaterThan(calls);
    expect(base['eval/critic/acc']).toBe(0.5);
    t.dispose();
  });

  it('runs `epochs` passes of mini-batches over every sample and averages the update metrics', async () => {
    const c = config('grl', (x) => {
      x.grpo = { ...x.grpo, miniBatch: 5, epochs: 3 };
    });
    const { t, updater } = await trainer(
      c,
      scriptWith((slot) => [1, 3, 4, 0][slot] as number),
    );
    const m = await t.step();
    expect(updater.batches.map((b) => b.batch.length)).toEqual([5, 5, 5, 1, 5, 5, 5, 1, 5, 5, 5, 1]);
    expect(m['actor/updates']).toBe(12);
    expect(m['actor/samples']).toBe(16);
    const seen = new Map<string, number>();
    for (const s of updater.samples) {
      const k = `${Array.from(s.tokens)}|${s.advantage}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    for (const v of seen.values()) expect(v % 3).toBe(0); // each sample once per epoch
    expect(m['actor/grad_norm']).toBe(16 / 4); // the recorder reports batch sizes: mean 4
    const losses = updater.batches.map((b) => -b.batch.reduce((a, s) => a + s.advantage, 0) / b.batch.length);
    expect(m['actor/loss']).toBeCloseTo(losses.reduce((a, b) => a + b, 0) / losses.length, 12);
    expect(m['gen/response_length']).toBeCloseTo((8 * 4 + 8 * 2) / 16, 12); // 8 right of 16: 4 and 2 tokens
    expect(m['perf/tokens_per_s']).toBeGreaterThan(0);
    expect(m['time/step']).toBeGreaterThanOrEqual(m['time/rollout1'] as number);
    t.dispose();
  });

  it('drops zero-variance groups from the update with skipZeroVariance (per prompt), keeps them without', async () => {
    for (const skip of [true, false]) {
      const c = config('grl', (x) => {
        x.grpo = { ...x.grpo, skipZeroVariance: skip };
      });
      const { t, updater } = await trainer(
        c,
        scriptWith((slot) => [1, 3, 4, 0][slot] as number),
      );
      const m = await t.step();
      expect(m['adv/zero_var_groups']).toBe(2);
      expect(m['actor/samples']).toBe(skip ? 8 : 16);
      expect(updater.samples.every((s) => !skip || s.advantage !== 0)).toBe(true);
      t.dispose();
    }
  });

  it('shows at most 20 responses and 20 critiques in the samples inspector', async () => {
    const c = config('gcrl', (x) => {
      x.rollout = { ...x.rollout, questions: 6 };
      x.critique = { ...x.critique, input: 'random', pairs: 12 };
    });
    const { t } = await trainer(
      c,
      scriptWith(() => 2),
    );
    await t.step();
    expect(t.lastSamples.responses).toHaveLength(20);
    expect(t.lastSamples.critiques).toHaveLength(20);
    t.dispose();
  });

  it('with no balanced held-out item, an evaluation reports generation only', async () => {
    const c = config('gcrl', (x) => {
      x.eval = { every: 1, questions: 8 };
    });
    const { t, policy } = await trainer(
      c,
      scriptWith(() => 99),
    ); // every sample right: no wrong response to pair
    const m = await t.evaluate();
    expect(Object.keys(m)).toEqual(['eval/gen/acc']);
    expect(policy.calls.filter((x) => x.kind === 'critique')).toHaveLength(0);
    t.dispose();
  });

  it('C-RL static with no balanced question judges nothing and updates nothing', async () => {
    const { t, updater, reference } = await trainer(
      config('crl-static'),
      scriptWith(() => 99),
    );
    expect(reference.calls[0]?.prompts).toHaveLength(TASK.trainSize * 4);
    const m = await t.step();
    expect(t.lastSamples.critiques).toEqual([]);
    expect(updater.batches).toEqual([]);
    expect('actor/samples' in m).toBe(false);
    t.dispose();
  });

  it('refuses a bad config before using any part', async () => {
    const c = config('gcrl', (x) => {
      x.rollout.n = 1;
      x.grpo.kl = 'k4' as never;
    });
    const policy = new ScriptedPolicy(scriptWith(() => 1));
    await expect(
      GcrlTrainer.fromParts(c, { policy, reference: policy, updater: new RecordingUpdater() }),
    ).rejects.toThrow(/invalid training config[\s\S]*rollout\.n[\s\S]*grpo\.kl/);
    expect(policy.calls).toEqual([]);
  });
});
