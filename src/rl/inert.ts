// Which settings have no effect under the others (and why), so the form can say so next to them:
// each rule below restates what the trainer does (read from src/rl/trainer.ts, critique-phase.ts,
// advantages.ts, grpo-graph.ts and model/sample.ts) and is pinned by a test.
import { VOCAB } from '../lm/tokenizer.js';
import type { Mode, TrainConfig } from './config.js';
import { REWARD_PRESETS, type RewardTable } from './rewards.js';

/** Modes whose responses are trained (the first-order rollout runs in every mode, for gen/ metrics). */
export const trainsResponses = (c: Pick<TrainConfig, 'mode'>): boolean =>
  c.mode === 'grl' || c.mode === 'gcrl';
/** Modes whose critiques are sampled and trained. */
export const trainsCritiques = (c: Pick<TrainConfig, 'mode'>): boolean =>
  c.mode !== 'grl' && c.mode !== 'coldstart-only';

/**
 * A setting (a config path, or a prefix such as `critique.reward` covering its cells) and why it does
 * not change training. `rare`: it acts only in an edge case the reason names.
 */
export interface InertNote {
  key: string;
  reason: string;
  rare?: boolean;
  scaleOnly?: boolean; // only the setting's scale (and shift) has no effect
}

const CRITIQUE_KEYS = [
  'critique.input',
  'critique.pairs',
  'critique.n',
  'critique.cacheCapacity',
  'critique.denoiseM',
  'critique.staticResponses',
  'critique.reward',
] as const;
const MODE_NAME: Readonly<Record<Mode, string>> = {
  grl: 'G-RL',
  'crl-static': 'C-RL static',
  'crl-dynamic': 'C-RL dynamic',
  gcrl: 'GC-RL',
  'critique-rl': 'Critique-RL',
  'coldstart-only': 'Cold start only',
};

/** A reward-table row (right verdict, wrong verdict, no verdict) up to a positive scale and a shift; null if flat. */
function rowShape(right: number, wrong: number, missing: number): number[] | null {
  const lo = Math.min(right, wrong, missing);
  const span = Math.max(right, wrong, missing) - lo;
  return span > 0 ? [right, wrong, missing].map((x) => (x - lo) / span) : null;
}
const sameShape = (a: number[] | null, b: number[] | null): boolean =>
  a !== null && b !== null && a.every((x, i) => Math.abs(x - (b[i] as number)) < 1e-9);

/** True when per-prompt GRPO trains `t` exactly as Eq. 2's symmetric table (each row an affine image of its row). */
export function perPromptEquivalentToEq2(t: RewardTable): boolean {
  const s = REWARD_PRESETS.symmetric;
  return (
    sameShape(
      rowShape(t.correctRight, t.correctWrong, t.missing),
      rowShape(s.correctRight, s.correctWrong, s.missing),
    ) &&
    sameShape(
      rowShape(t.wrongRight, t.wrongWrong, t.missing),
      rowShape(s.wrongRight, s.wrongWrong, s.missing),
    )
  );
}

/** Sequences one step hands the update, at most: trained responses plus trained critiques. */
export const sequencesPerStep = (c: TrainConfig): number =>
  (trainsResponses(c) ? c.rollout.questions * c.rollout.n : 0) +
  (trainsCritiques(c) ? c.critique.pairs * c.critique.n : 0);

/** Every setting that has no effect on training under the rest of `c`, with a one-line reason. */
export function inertSettings(c: TrainConfig): InertNote[] {
  const out: InertNote[] = [];
  const add = (key: string, reason: string, flag?: 'rare' | 'scaleOnly') =>
    out.push(flag ? { key, reason, [flag]: true } : { key, reason });
  const mode = Object.hasOwn(MODE_NAME, c.mode) ? MODE_NAME[c.mode] : String(c.mode); // own names only

  if (c.mode === 'coldstart-only') {
    for (const k of CRITIQUE_KEYS) add(k, 'Cold start only makes no RL update: no critiques are sampled.');
    add('grpo', 'Cold start only makes no RL update.');
    add('rollout', 'Cold start only makes no RL update: responses are sampled only for the gen/ metrics.');
    return out;
  }
  if (!trainsCritiques(c)) {
    for (const k of CRITIQUE_KEYS) add(k, `${mode} trains responses only: no critiques are sampled.`);
  } else {
    // Per-prompt groups: the n critiques of a pair judge one response, so one truth, one table row.
    // Eq. 4's R_q varies within a group and is not scaled with the row, so with refinements on
    // (m > 0, also Critique-RL's stage II) the scale no longer cancels.
    const perPromptGrpo = c.grpo.grouping === 'per-prompt' && c.grpo.advantage === 'grpo';
    if (perPromptGrpo && c.critique.denoiseM === 0) {
      const eq2 = perPromptEquivalentToEq2(c.critique.reward);
      add(
        'critique.reward',
        eq2
          ? 'Per-prompt GRPO: the n critiques of a group judge one response, so (r − mean)/std cancels the scale of its table row — this table trains exactly as Eq. 2 (0.7 / 0.7). Use the mixed grouping to compare tables.'
          : 'Per-prompt GRPO: the n critiques of a group judge one response, so (r − mean)/std cancels any scale or shift of its table row — only how right, wrong and missing verdicts compare within a row matters.',
        eq2 ? undefined : 'scaleOnly',
      );
      if (c.critique.input === 'randomReweight')
        add(
          'critique.input',
          'Per-prompt GRPO: Eq. 3 multiplies a group’s rewards by one weight, 1/(2p) or 1/(2(1−p)) (its n critiques judge one response), which (r − mean)/std cancels — Random + reweight trains exactly as Random. Use the mixed grouping.',
        );
    }
    if (c.mode === 'crl-static') {
      add(
        'critique.input',
        'C-RL static draws its pairs from the set built before training: data filter and random pick the same pairs; random + reweight only adds Eq. 3’s weights.',
      );
      add(
        'critique.cacheCapacity',
        'C-RL static draws its pairs from the set built before training: no cache.',
      );
      if (c.critique.input !== 'randomReweight') {
        for (const k of ['rollout.questions', 'rollout.n'])
          add(
            k,
            'C-RL static trains no responses and takes no pairs from them: they only feed the gen/ metrics.',
          );
      }
    } else if (c.critique.input !== 'filter') {
      add('critique.cacheCapacity', 'Only the data filter fills the question–response cache.');
    }
    if (c.critique.denoiseM === 0 && c.mode === 'critique-rl')
      add(
        'critique.denoiseM',
        'Critique-RL’s stage II adds Eq. 4’s refinement reward; with m = 0 both stages are the same and the run trains as C-RL dynamic.',
      );
    if (c.mode !== 'crl-static')
      add(
        'critique.staticResponses',
        'Only C-RL static samples responses before training to build its pair set.',
      );
  }

  // Sampling (src/model/sample.ts): temperature ≤ 0 is argmax before top-k / top-p; top-k = 1 keeps one token.
  if (c.rollout.temperature <= 0) {
    add('rollout.topK', 'Temperature 0 decodes greedily: top-k is never applied.');
    add('rollout.topP', 'Temperature 0 decodes greedily: top-p is never applied.');
    add(
      'rollout.n',
      'Temperature 0: the n responses of a question are identical, so n > 1 only repeats them.',
    );
    if (trainsCritiques(c))
      add(
        'critique.n',
        'Temperature 0: the n critiques of a pair are identical, so n > 1 only repeats them.',
      );
  } else if (c.rollout.topK === 1) {
    add(
      'rollout.temperature',
      'Top-k = 1 keeps only the most likely token: decoding is greedy at any temperature.',
    );
    add('rollout.topP', 'Top-k = 1 keeps only the most likely token: top-p has nothing to cut.');
  } else if (c.rollout.topK >= VOCAB.size) {
    add('rollout.topK', `Top-k ≥ ${VOCAB.size} (the vocabulary) keeps every token: the same as 0.`);
  }

  // The update (src/rl/grpo-graph.ts): loss = agg(pg + klCoef · kl).
  if (c.grpo.klCoef === 0)
    add('grpo.kl', 'The KL coefficient is 0: the estimator’s term is multiplied away.');
  const n = sequencesPerStep(c);
  if (c.grpo.epochs === 1 && c.grpo.miniBatch >= n && c.grpo.clipLow > 0 && c.grpo.clipHigh > 0) {
    const why = `One update per step (1 epoch, mini-batch ≥ the ${n} sequences of a step) is on-policy: the ratio is 1, inside any clip range.`;
    add('grpo.clipLow', why);
    add('grpo.clipHigh', why);
    add('grpo.miniBatch', `Any mini-batch ≥ the ${n} sequences of a step gives the same single update.`);
  }
  if (c.grpo.grouping === 'mixed' && c.grpo.skipZeroVariance)
    add(
      'grpo.skipZeroVariance',
      'Mixed grouping: the step is one group, skipped only when every response and critique of the step got the same reward.',
      'rare',
    );
  return out;
}

/** The notes that apply to `path`: those keyed by it or by a prefix of it. */
export const notesFor = (notes: readonly InertNote[], path: string): InertNote[] =>
  notes.filter((n) => n.key === path || path.startsWith(`${n.key}.`));

/** One line naming the grouping in use and what it means for the reward settings. */
export function groupingSummary(c: TrainConfig): string {
  return c.grpo.grouping === 'mixed'
    ? 'Grouping: mixed — every response and critique of a step shares one baseline (§3, “mixed into the same group”), so the reward table and Eq. 3 change training.'
    : 'Grouping: per prompt — the n responses of a question, the n critiques of a pair; with GRPO this cancels the reward table’s row scales and Eq. 3.';
}
