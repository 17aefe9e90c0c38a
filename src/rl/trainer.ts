// GC-RL training: one step is first-order rollout → rewards → critique inputs (filter / cache /
// random / static) → second-order rollout → optional refinements (Eq. 4) → rewards → advantages →
// mini-batched GRPO updates → metrics, each phase timed. Modes pick which orders are trained.
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { Runtime } from '../engine/runtime.js';
import {
  balancedCritiqueSet,
  type CritiqueItem,
  critiqueAccuracy,
  generationAccuracy,
} from '../eval/evaluate.js';
import { parseCritique } from '../lm/formats.js';
import { repeatEach, rolloutResponses } from '../lm/rollout.js';
import { makeSplits, type Question } from '../lm/tasks.js';
import { VOCAB } from '../lm/tokenizer.js';
import { checkpointConfig, policyFromCheckpoint } from '../model/io.js';
import type { Policy } from '../model/policy.js';
import { Rng } from '../util/rng.js';
import { advantageFn, groupedAdvantages } from './advantages.js';
import { configErrors, type TrainConfig } from './config.js';
import { critiqueInput, QuestionResponseCache, staticBalancedPairs } from './critique-inputs.js';
import { type Answer, critiquePhase, type Refinement, type Rollout, type Timed } from './critique-phase.js';
import { type GrpoSample, GrpoUpdater } from './grpo.js';
import { trainsCritiques, trainsResponses } from './inert.js';
import { type Metrics, RunningMean, snake } from './rewards.js';

/** What the samples inspector shows for the last step. */
export interface StepSamples {
  responses: { question: string; response: string; ok: boolean; reward: number; advantage: number }[];
  critiques: {
    question: string;
    response: string;
    ok: boolean;
    critique: string;
    verdict: string;
    reward: number;
    advantage: number;
  }[];
  refinements?: Refinement[]; // Eq. 4's refined responses, when denoising is on
}

/** Rows per reference log-prob run: one run per step at the default sizes (fewer, larger runs are faster). */
const REF_CHUNK = 256;

/** What the trainer needs of a policy: sampling and teacher-forced log-probs (a `Policy`, or a test's scripted one). */
export type TrainerPolicy = Pick<Policy, 'generate' | 'logProbs' | 'dispose'>;
/** What the trainer needs of the GRPO update: one optimiser step per mini-batch. */
export type TrainerUpdater = Pick<GrpoUpdater, 'update' | 'dispose'>;
/** The parts a trainer runs on: the trained policy, the frozen KL reference and the policy's update. */
export interface TrainerParts<P extends TrainerPolicy = Policy> {
  policy: P;
  reference: TrainerPolicy;
  updater: TrainerUpdater;
}

/** Optional inputs to `create`/`fromParts`. */
export interface TrainerOptions {
  /** The held-out critique set to evaluate on (e.g. one set shared by every arm of a seed); built from the reference when absent. */
  evalSet?: readonly CritiqueItem[];
}

export class GcrlTrainer<P extends TrainerPolicy = Policy> {
  stepCount = 0;
  private readonly rng: Rng;
  private readonly p = new RunningMean({ momentum: 0.9 });
  private readonly cache: QuestionResponseCache<Answer>;
  private order: number[] = [];
  private staticPairs: Answer[] = [];
  private evalSet: Promise<CritiqueItem[]> | null = null;
  lastSamples: StepSamples = { responses: [], critiques: [] };

  private constructor(
    readonly cfg: TrainConfig,
    readonly policy: P,
    private readonly reference: TrainerPolicy,
    private readonly updater: TrainerUpdater,
    private readonly train: readonly Question[],
    private readonly heldOut: readonly Question[],
  ) {
    this.rng = new Rng(cfg.seed);
    this.cache = new QuestionResponseCache<Answer>(cfg.critique.cacheCapacity);
  }

  /** Validates the config (every problem at once) and loads the base checkpoint twice: policy and frozen reference. */
  static async create(
    rt: Runtime,
    cfg: TrainConfig,
    base: Checkpoint,
    opts: TrainerOptions = {},
  ): Promise<GcrlTrainer> {
    const errs = configErrors(cfg, { ctx: checkpointConfig(base).ctx }); // checkpoint checked first
    if (errs.length) throw new Error(`invalid training config:\n  ${errs.join('\n  ')}`);
    const policy = policyFromCheckpoint(rt, base);
    const reference = policyFromCheckpoint(rt, base);
    return GcrlTrainer.fromParts(cfg, { policy, reference, updater: new GrpoUpdater(policy) }, opts);
  }

  /** A trainer on given parts (`create` uses it; tests drive the step with a scripted policy); validates as `create`. */
  static async fromParts<P extends TrainerPolicy>(
    cfg: TrainConfig,
    parts: TrainerParts<P>,
    opts: TrainerOptions = {},
  ): Promise<GcrlTrainer<P>> {
    const errs = configErrors(cfg);
    if (errs.length) throw new Error(`invalid training config:\n  ${errs.join('\n  ')}`);
    const splits = makeSplits({ ...cfg.task, seed: cfg.task.splitSeed });
    const t = new GcrlTrainer(
      cfg,
      parts.policy,
      parts.reference,
      parts.updater,
      splits.train,
      splits.heldOut,
    );
    if (cfg.mode === 'crl-static') await t.buildStaticPairs();
    if (opts.evalSet) t.evalSet = Promise.resolve([...opts.evalSet]);
    return t;
  }

  /**
   * The balanced held-out critique set, built from the reference (the base checkpoint) at the first
   * evaluation: it depends on the base weights only, so building it later gives the same set and
   * lets a run start training without waiting for it.
   */
  private critiqueSet(): Promise<CritiqueItem[]> {
    this.evalSet ??= balancedCritiqueSet(
      [this.reference],
      this.heldOut.slice(0, this.cfg.eval.questions),
      4,
      {
        seed: this.cfg.seed,
      },
    ).then((r) => r.items);
    return this.evalSet;
  }

  /** C-RL static: responses sampled once before training, 1 correct + 1 wrong kept per question. */
  private async buildStaticPairs(): Promise<void> {
    const groups = await this.answer(this.train, this.cfg.critique.staticResponses, this.reference, 1);
    this.staticPairs = staticBalancedPairs(
      groups.map((g) => g.answers),
      this.rng,
    )[0];
  }

  private nextQuestions(n: number): Question[] {
    const out: Question[] = [];
    while (out.length < n) {
      if (!this.order.length) this.order = this.rng.shuffle([...this.train.keys()]);
      out.push(this.train[this.order.pop() as number] as Question);
    }
    return out;
  }

  private sampling(seedOffset: number) {
    const r = this.cfg.rollout;
    const seed = this.cfg.seed * 1_000_003 + this.stepCount * 101 + seedOffset;
    return { eos: VOCAB.EOS, pad: VOCAB.PAD, temperature: r.temperature, topK: r.topK, topP: r.topP, seed };
  }

  /** `n` sampled responses per question, as rollouts grouped by question. */
  private async answer(qs: readonly Question[], n: number, policy: TrainerPolicy, seedOffset: number) {
    const done = await rolloutResponses(policy, repeatEach(qs, n), this.sampling(seedOffset));
    return qs.map((question, i) => {
      const mine = done.slice(i * n, (i + 1) * n);
      const answers: Answer[] = mine.map((r) => ({ ok: r.ok, question, body: r.body }));
      const rollouts: Rollout[] = mine.map((r) => ({
        prompt: r.prompt,
        tokens: r.tokens,
        logps: r.logps,
        text: r.text,
        reward: r.ok ? 1 : 0,
        advantage: 0,
        train: true,
      }));
      return { rollouts, answers };
    });
  }

  /** One training step; returns its flat metrics. */
  async step(): Promise<Metrics> {
    const c = this.cfg;
    const m: Metrics = {};
    const timed = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
      const t0 = performance.now();
      const r = await fn();
      m[`time/${name}`] = (m[`time/${name}`] ?? 0) + (performance.now() - t0) / 1000;
      return r;
    };
    const tStep = performance.now();
    this.stepCount++;
    m.step = this.stepCount;
    // 1. First-order rollout and Eq. 1 rewards.
    const groups = await timed('rollout1', () =>
      this.answer(this.nextQuestions(c.rollout.questions), c.rollout.n, this.policy, 0),
    );
    const oks = groups.flatMap((g) => g.answers.map((a) => (a.ok ? 1 : 0)));
    m['gen/acc'] = oks.reduce((a: number, b) => a + b, 0) / oks.length;
    m['gen/p'] = this.p.update(oks);
    m['gen/response_length'] =
      groups.flatMap((g) => g.rollouts).reduce((a, r) => a + r.tokens.length, 0) / oks.length;
    const rewardGroups: Rollout[][] = trainsResponses(c) ? groups.map((g) => g.rollouts) : [];
    // 2. Critique inputs.
    let critGroups: Rollout[][] = [];
    const refinements: Refinement[] = [];
    if (trainsCritiques(c)) {
      const input = critiqueInput(c.critique.input);
      const pairs = await timed('filter', () => {
        if (c.mode === 'crl-static') return this.pickStatic(c.critique.pairs);
        const [sel, sm] = input.select(
          groups.map((g) => g.answers),
          c.critique.pairs,
          this.rng,
        );
        Object.assign(m, sm);
        if (!input.cached) return sel;
        this.cache.add(sel);
        const [fromCache, cm] = this.cache.sample(c.critique.pairs, this.rng);
        Object.assign(m, cm);
        return fromCache;
      });
      const denoiseM = c.mode === 'critique-rl' && this.stepCount <= c.steps / 2 ? 0 : c.critique.denoiseM;
      const ctx = {
        policy: this.policy,
        cfg: c,
        sampling: (o: number) => this.sampling(o),
        denoiseM,
        timed,
        refinements,
      };
      critGroups = await critiquePhase(ctx, pairs, input.weighted, m);
    }
    // 3. Advantages (per prompt, or one mixed group) and the update.
    const all = [...rewardGroups, ...critGroups];
    const [adv, am, kept] = groupedAdvantages(
      advantageFn(c.grpo.advantage),
      all.map((g) => g.map((r) => r.reward)),
      c.grpo.grouping,
      { skipZeroVariance: c.grpo.skipZeroVariance },
    );
    Object.assign(m, am);
    all.forEach((g, i) => {
      g.forEach((r, k) => {
        r.advantage = adv[i]?.[k] ?? 0;
        r.train = kept[i] ?? true;
      });
    });
    m['reward/response_mean'] = oks.reduce((a: number, b) => a + b, 0) / oks.length;
    const samples = all.flat().filter((r) => r.train && r.tokens.length > 0);
    await this.update(samples, m, timed);
    this.lastSamples = this.describe(
      groups.flatMap((g) => g.rollouts.map((r, k) => ({ r, q: g.answers[k] as Answer }))),
      critGroups,
    );
    if (refinements.length) this.lastSamples.refinements = refinements;
    m['time/step'] = (performance.now() - tStep) / 1000;
    const generated =
      all.flat().reduce((a, r) => a + r.tokens.length, 0) + (trainsResponses(c) ? 0 : oks.length * 3);
    m['perf/tokens_per_s'] = generated / ((m['time/rollout1'] ?? 0) + (m['time/rollout2'] ?? 0) || 1);
    if (c.eval.every > 0 && this.stepCount % c.eval.every === 0) Object.assign(m, await this.evaluate());
    return m;
  }

  private pickStatic(n: number): Answer[] {
    const pool = this.staticPairs;
    return pool.length ? Array.from({ length: n }, () => pool[this.rng.int(pool.length)] as Answer) : [];
  }

  /** Reference log-probs, then `epochs` passes of shuffled mini-batches through the GRPO update. */
  private async update(rollouts: Rollout[], m: Metrics, timed: Timed): Promise<void> {
    const c = this.cfg;
    if (!rollouts.length) return;
    const seqs = rollouts.map((r) => ({ tokens: [...r.prompt, ...r.tokens], promptLen: r.prompt.length }));
    const samples: GrpoSample[] = [];
    await timed('ref', async () => {
      for (let i = 0; i < seqs.length; i += REF_CHUNK) {
        const chunk = seqs.slice(i, i + REF_CHUNK);
        const ref = await this.reference.logProbs(chunk);
        chunk.forEach((s, k) => {
          const r = rollouts[i + k] as Rollout;
          samples.push({ ...s, advantage: r.advantage, oldLogps: r.logps, refLogps: ref[k]?.logp ?? [] });
        });
      }
    });
    const sums: Metrics = {};
    let updates = 0;
    await timed('update', async () => {
      for (let e = 0; e < c.grpo.epochs; e++) {
        const order = this.rng.shuffle([...samples.keys()]);
        for (let i = 0; i < order.length; i += c.grpo.miniBatch) {
          const mb = order.slice(i, i + c.grpo.miniBatch).map((k) => samples[k] as GrpoSample);
          const um = await this.updater.update(mb, { ...c.grpo });
          for (const [k, v] of Object.entries(um)) sums[k] = (sums[k] ?? 0) + v;
          updates++;
        }
      }
    });
    for (const [k, v] of Object.entries(sums)) m[k] = v / updates;
    m['actor/updates'] = updates;
    m['actor/samples'] = samples.length;
  }

  /**
   * Held-out generation accuracy and critique metrics on the fixed balanced set (eval/ keys), of the
   * policy or of the base checkpoint (`'base'`: the frozen reference — the policy's numbers before
   * its first step, available at any time).
   */
  async evaluate(of: 'policy' | 'base' = 'policy'): Promise<Metrics> {
    const model = of === 'base' ? this.reference : this.policy;
    const qs = this.heldOut.slice(0, this.cfg.eval.questions);
    const g = await generationAccuracy(model, qs, 0, { seed: this.cfg.seed });
    const out: Metrics = { 'eval/gen/acc': g.acc };
    const set = await this.critiqueSet();
    if (set.length) {
      const s = await critiqueAccuracy(model, set, 0, { seed: this.cfg.seed });
      Object.assign(out, {
        'eval/critic/acc': s.acc,
        'eval/critic/precision': s.precision,
        'eval/critic/recall': s.recall,
        'eval/critic/f1': s.f1,
        'eval/critic/alpha': s.alpha,
        'eval/critic/beta': s.beta,
        // among right verdicts, the share whose recomputed answer is wrong (what Eq. 4 should lower)
        'eval/critic/right_verdict_wrong_working': s.rightVerdictWrongWorking,
      });
      for (const [k, v] of Object.entries(s.confusion)) out[`eval/critic/confusion/${snake(k)}`] = v;
    }
    return out;
  }

  private describe(responses: { r: Rollout; q: Answer }[], crit: Rollout[][]): StepSamples {
    return {
      responses: responses.slice(0, 20).map(({ r, q }) => ({
        question: q.question.text,
        response: r.text,
        ok: q.ok,
        reward: r.reward,
        advantage: r.advantage,
      })),
      critiques: crit
        .flat()
        .slice(0, 20)
        .map((r) => {
          const p = parseCritique(r.text);
          return {
            question: r.pair?.question.text ?? '',
            response: r.pair?.body ?? '',
            ok: r.pair?.ok ?? false,
            critique: r.text,
            verdict: p.verdict,
            reward: r.reward,
            advantage: r.advantage,
          };
        }),
    };
  }

  dispose(): void {
    this.updater.dispose();
    this.policy.dispose();
    this.reference.dispose();
  }
}
