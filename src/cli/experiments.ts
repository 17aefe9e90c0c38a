// SPEC §5's five experiments as arms (preset + overrides), the metrics each is judged on, and a
// check that says in numbers whether the paper's direction shows up.

export interface Arm {
  label: string;
  preset: string;
  sets: string[]; // --set style overrides
}

export interface Experiment {
  title: string;
  claim: string; // the paper's finding, SPEC §5
  arms: Arm[];
  metrics: string[]; // eval/ keys tabulated (final held-out evaluation)
  chart: string; // the metric charted over steps
  /** One sentence: does the direction reproduce? `mean(arm, metric)` averages over seeds. */
  check: (mean: (arm: string, metric: string) => number) => string;
}

/**
 * Eq. 3's weights and the shaping tables scale a critique's reward by a constant that depends
 * only on the response's truth. With per-prompt groups all n critiques of a pair share that
 * truth, so GRPO's (r − mean)/std normalisation cancels the scale and these arms train exactly
 * like the symmetric one (measured: identical runs). They are compared with the paper's literal
 * "mixed into the same group" grouping, where critiques of correct and wrong responses meet.
 */
const MIXED = 'grpo.grouping=mixed';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const verdict = (ok: boolean) => (ok ? '**reproduces**' : '**does not reproduce**');

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
    metrics: [
      'eval/critic/acc',
      'eval/critic/precision',
      'eval/critic/recall',
      'eval/critic/alpha',
      'eval/critic/beta',
    ],
    chart: 'eval/critic/acc',
    check: (m) => {
      const [f, w, r] = ['data filter', 'random + reweight', 'random'].map((a) =>
        m(a, 'eval/critic/acc'),
      ) as [number, number, number];
      const tilt = m('random', 'eval/critic/beta') - m('random', 'eval/critic/alpha');
      return `Critique accuracy: filter ${pct(f)}, reweight ${pct(w)}, random ${pct(r)} — ranking ${verdict(f >= w && w >= r)}; random sampling β − α = ${pct(tilt)} (${verdict(tilt > 0)} the tilt toward "wrong").`;
    },
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
    metrics: ['eval/critic/acc', 'eval/critic/precision', 'eval/critic/recall', 'eval/critic/f1'],
    chart: 'eval/critic/recall',
    check: (m) => {
      const p = (a: string) => m(a, 'eval/critic/precision');
      const r = (a: string) => m(a, 'eval/critic/recall');
      const [s, c, a] = ['symmetric (Eq. 2)', 'catch incorrect (Eq. 5)', 'accept correct (Eq. 6)'];
      const catchOk = p(c) > p(s) && r(c) < r(s); // strict: identical runs are no evidence
      const acceptOk = p(a) < p(s) && r(a) > r(s);
      return `Precision / recall: symmetric ${pct(p(s))} / ${pct(r(s))}, catch incorrect ${pct(p(c))} / ${pct(r(c))} (${verdict(catchOk)}), accept correct ${pct(p(a))} / ${pct(r(a))} (${verdict(acceptOk)}).`;
    },
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
    metrics: ['eval/gen/acc', 'eval/critic/acc', 'eval/critic/precision', 'eval/critic/recall'],
    chart: 'eval/gen/acc',
    check: (m) => {
      const g = m('GC-RL', 'eval/gen/acc') - m('G-RL', 'eval/gen/acc');
      const c = m('GC-RL', 'eval/critic/acc') - m('C-RL', 'eval/critic/acc');
      return `GC-RL − G-RL generation: ${pct(g)} (${verdict(g >= 0)}); GC-RL − C-RL critique: ${pct(c)} (${verdict(c >= 0)}).`;
    },
  },
  'static-vs-dynamic': {
    title: 'Static vs dynamic pairs (§5.3)',
    claim: 'C-RL on dynamic pairs can collapse into "everything is incorrect"; static pairs do not',
    arms: [
      { label: 'C-RL static', preset: 'crl-static', sets: [] },
      { label: 'C-RL dynamic', preset: 'crl-dynamic', sets: [] },
    ],
    metrics: ['eval/critic/acc', 'eval/critic/alpha', 'eval/critic/beta'],
    chart: 'eval/critic/alpha',
    check: (m) => {
      const ds = m('C-RL dynamic', 'eval/critic/alpha');
      const st = m('C-RL static', 'eval/critic/alpha');
      return `α (says "correct" on correct responses): static ${pct(st)}, dynamic ${pct(ds)}; a collapse would show as α → 0 (${ds < 0.1 ? 'collapse seen' : 'no collapse at this length'}).`;
    },
  },
  denoising: {
    title: 'Denoised critique reward (§5.2)',
    claim: 'r + k/m (Eq. 4) improves critique accuracy over r alone',
    arms: [
      { label: 'r (Eq. 2)', preset: 'gcrl', sets: [] },
      { label: 'r + R_q (Eq. 4, m=1)', preset: 'gcrl', sets: ['critique.denoiseM=1'] },
    ],
    metrics: ['eval/critic/acc', 'eval/critic/precision', 'eval/critic/recall', 'eval/gen/acc'],
    chart: 'eval/critic/acc',
    check: (m) => {
      const d = m('r + R_q (Eq. 4, m=1)', 'eval/critic/acc') - m('r (Eq. 2)', 'eval/critic/acc');
      return `Critique accuracy gain from R_q: ${pct(d)} (${verdict(d >= 0)}).`;
    },
  },
};

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
