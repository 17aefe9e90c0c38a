// SPEC §5's experiments as arms (preset + overrides), the metrics each is judged on, and its
// findings as seed-paired effects (arm A − arm B) whose verdict comes from src/report/paired.ts.
import { formatEffect, type PairedEffect, pairedEffect } from '../report/paired.js';

export interface Arm {
  label: string;
  preset: string;
  sets: string[]; // --set style overrides
}

/** One side of a finding: a metric of an arm's final held-out evaluation. */
export interface Term {
  arm: string; // arm label
  metric: string; // eval/ key
}

/** A paper's finding as a paired difference: A − B, with the sign the paper predicts. */
export interface Finding {
  label: string;
  a: Term;
  b: Term;
  direction: 1 | -1; // +1: the paper says A > B
}

export interface Experiment {
  title: string;
  claim: string; // the paper's finding, SPEC §5
  arms: Arm[];
  metrics: string[]; // eval/ keys tabulated (final held-out evaluation)
  chart: string; // the metric charted over steps
  findings: Finding[];
}

/**
 * Eq. 3's weights and the shaping tables scale a critique's reward by a constant that depends
 * only on the response's truth. With per-prompt groups all n critiques of a pair share that
 * truth, so GRPO's (r − mean)/std normalisation cancels the scale and these arms train exactly
 * like the symmetric one (measured: identical runs). They are compared with the paper's literal
 * "mixed into the same group" grouping, where critiques of correct and wrong responses meet.
 */
const MIXED = 'grpo.grouping=mixed';

const ACC = 'eval/critic/acc';
const P = 'eval/critic/precision';
const R = 'eval/critic/recall';
const RVWW = 'eval/critic/right_verdict_wrong_working';
const t = (arm: string, metric: string): Term => ({ arm, metric });
const f = (label: string, a: Term, b: Term, direction: 1 | -1): Finding => ({ label, a, b, direction });

export const EXPERIMENTS: Record<string, Experiment> = {
  'label-balance': {
    title: 'Label balance (Table 2)',
    claim:
      'critique accuracy ranks data filter ≥ random + reweight ≥ random; random sampling at p < 1/2 drives α down and β up',
    arms: [
      { label: 'data filter', preset: 'gcrl', sets: ['critique.input=filter', MIXED] },
      { label: 'random + reweight', preset: 'gcrl', sets: ['critique.input=randomReweight', MIXED] },
      { label: 'random', preset: 'gcrl', sets: ['critique.input=random', MIXED] },
    ],
    metrics: [ACC, P, R, 'eval/critic/alpha', 'eval/critic/beta'],
    chart: ACC,
    findings: [
      f('critique accuracy: filter − random', t('data filter', ACC), t('random', ACC), 1),
      f('critique accuracy: reweight − random', t('random + reweight', ACC), t('random', ACC), 1),
      f('critique accuracy: filter − reweight', t('data filter', ACC), t('random + reweight', ACC), 1),
      f('β − α under random sampling', t('random', 'eval/critic/beta'), t('random', 'eval/critic/alpha'), 1),
      f('α: random − filter', t('random', 'eval/critic/alpha'), t('data filter', 'eval/critic/alpha'), -1),
    ],
  },
  'reward-shaping': {
    title: 'Reward shaping (Fig. 5)',
    claim:
      'against the symmetric reward, "catch incorrect" raises precision and lowers recall; "accept correct" does the opposite',
    arms: [
      { label: 'symmetric (Eq. 2)', preset: 'gcrl', sets: [MIXED] },
      {
        label: 'catch incorrect (Eq. 5)',
        preset: 'gcrl',
        sets: ['critique.reward.correctRight=0.6', 'critique.reward.wrongRight=0.8', MIXED],
      },
      {
        label: 'accept correct (Eq. 6)',
        preset: 'gcrl',
        sets: ['critique.reward.correctRight=0.8', 'critique.reward.wrongRight=0.6', MIXED],
      },
    ],
    metrics: [ACC, P, R, 'eval/critic/f1'],
    chart: R,
    findings: [
      f('precision: Eq. 5 − Eq. 2', t('catch incorrect (Eq. 5)', P), t('symmetric (Eq. 2)', P), 1),
      f('recall: Eq. 5 − Eq. 2', t('catch incorrect (Eq. 5)', R), t('symmetric (Eq. 2)', R), -1),
      f('precision: Eq. 6 − Eq. 2', t('accept correct (Eq. 6)', P), t('symmetric (Eq. 2)', P), -1),
      f('recall: Eq. 6 − Eq. 2', t('accept correct (Eq. 6)', R), t('symmetric (Eq. 2)', R), 1),
    ],
  },
  'joint-training': {
    title: 'Joint training (Table 1)',
    claim:
      "on the same finite training set, GC-RL's held-out generation accuracy ≥ G-RL's and its critique accuracy ≥ C-RL's",
    arms: [
      { label: 'G-RL', preset: 'grl', sets: [] },
      { label: 'C-RL', preset: 'crl-dynamic', sets: [] },
      { label: 'GC-RL', preset: 'gcrl', sets: [] },
    ],
    metrics: ['eval/gen/acc', ACC, P, R],
    chart: 'eval/gen/acc',
    findings: [
      f('generation: GC-RL − G-RL', t('GC-RL', 'eval/gen/acc'), t('G-RL', 'eval/gen/acc'), 1),
      f('critique accuracy: GC-RL − C-RL', t('GC-RL', ACC), t('C-RL', ACC), 1),
    ],
  },
  'static-vs-dynamic': {
    title: 'Static vs dynamic pairs (§5.3)',
    claim:
      'under C-RL, dynamic self-generated pairs reward-hack (responses made wrong, then everything labelled "incorrect"); static pairs train better',
    arms: [
      { label: 'C-RL static', preset: 'crl-static', sets: [] },
      { label: 'C-RL dynamic (filter)', preset: 'crl-dynamic', sets: [] },
      { label: 'C-RL dynamic (random)', preset: 'crl-dynamic', sets: ['critique.input=random'] },
    ],
    metrics: ['eval/gen/acc', ACC, 'eval/critic/alpha', 'eval/critic/beta'],
    chart: 'eval/critic/alpha',
    findings: [
      f(
        'critique accuracy: static − dynamic (filter)',
        t('C-RL static', ACC),
        t('C-RL dynamic (filter)', ACC),
        1,
      ),
      f(
        'critique accuracy: static − dynamic (random)',
        t('C-RL static', ACC),
        t('C-RL dynamic (random)', ACC),
        1,
      ),
      f(
        'generation: static − dynamic (random)',
        t('C-RL static', 'eval/gen/acc'),
        t('C-RL dynamic (random)', 'eval/gen/acc'),
        1,
      ),
    ],
  },
  denoising: {
    title: 'Denoised critique reward (§5.2)',
    claim:
      'r + k/m (Eq. 4) improves critique accuracy over r alone (and should lower right verdicts reached with wrong working)',
    arms: [
      { label: 'r (Eq. 2)', preset: 'gcrl', sets: [] },
      { label: 'r + R_q (Eq. 4, m=1)', preset: 'gcrl', sets: ['critique.denoiseM=1'] },
    ],
    metrics: [ACC, P, R, RVWW, 'eval/gen/acc'],
    chart: ACC,
    findings: [
      f('critique accuracy: Eq. 4 − Eq. 2', t('r + R_q (Eq. 4, m=1)', ACC), t('r (Eq. 2)', ACC), 1),
      f(
        'right verdict, wrong working: Eq. 4 − Eq. 2',
        t('r + R_q (Eq. 4, m=1)', RVWW),
        t('r (Eq. 2)', RVWW),
        -1,
      ),
    ],
  },
};

/**
 * §5.3's collapse, fixed before running: at a run's final held-out evaluation the critic calls
 * almost everything wrong (β ≥ 0.9 and α ≤ 0.1) while generation accuracy has fallen at least
 * 5 points below the base checkpoint's (row 0) — the paper's "deliberately generates incorrect
 * responses ... then labels all responses as incorrect".
 */
export const COLLAPSE = Object.freeze({ minBeta: 0.9, maxAlpha: 0.1, genDrop: 0.05 });

export function collapsed(first: Record<string, number>, last: Record<string, number>): boolean {
  const beta = last['eval/critic/beta'] ?? Number.NaN;
  const alpha = last['eval/critic/alpha'] ?? Number.NaN;
  const drop = (first['eval/gen/acc'] ?? Number.NaN) - (last['eval/gen/acc'] ?? Number.NaN);
  return beta >= COLLAPSE.minBeta && alpha <= COLLAPSE.maxAlpha && drop >= COLLAPSE.genDrop - 1e-12;
}

export interface FindingResult {
  finding: Finding;
  effect: PairedEffect;
}

/**
 * Every finding of `e` as a paired effect. `values(arm, metric)` lists the final value per seed,
 * aligned across arms (index i = the same seed; NaN where an arm has no value for that seed).
 * The one place verdicts come from: `gcrl repro` and the page's presets both call it.
 */
export function judge(e: Experiment, values: (arm: string, metric: string) => number[]): FindingResult[] {
  return e.findings.map((finding) => ({
    finding,
    effect: pairedEffect(
      values(finding.a.arm, finding.a.metric),
      values(finding.b.arm, finding.b.metric),
      finding.direction,
    ),
  }));
}

/** The findings as a markdown table: effect in points with its 95% interval, the paper's sign, the verdict. */
export function findingsTable(results: readonly FindingResult[]): string[] {
  return [
    '| finding (A − B) | paper | effect, points [95% CI] | seeds | verdict |',
    '|---|:---:|---:|---:|---|',
    ...results.map(
      ({ finding, effect }) =>
        `| ${finding.label} | ${finding.direction > 0 ? '> 0' : '< 0'} | ${formatEffect(effect)} | ${effect.n} | **${effect.verdict}** |`,
    ),
  ];
}

/** Experiment names as given (`all`: every one), own names only; the error lists the valid ones. */
export function experimentNames(names: readonly string[]): string[] {
  if (names.includes('all')) return Object.keys(EXPERIMENTS);
  const bad = names.filter((n) => !Object.hasOwn(EXPERIMENTS, n));
  if (bad.length) {
    const list = bad.map((n) => JSON.stringify(n.length > 40 ? `${n.slice(0, 40)}…` : n)).join(', ');
    throw new Error(`unknown experiment ${list} (valid: ${Object.keys(EXPERIMENTS).join(', ')}, all)`);
  }
  return [...new Set(names)];
}
