// The paper's comparisons as one-click run sets for the page: SPEC §5's experiments (the same arms
// the CLI's `gcrl repro` runs), what to look for, and the paper's own numbers beside the live ones.
import { applySets } from '../../src/cli/args.js';
import { EXPERIMENTS } from '../../src/cli/experiments.js';
import { preset, type TrainConfig } from '../../src/rl/config.js';
import { armRunName } from './pairing';

export interface PageExperiment {
  id: string;
  title: string;
  claim: string;
  lookFor: string; // what to watch on the charts
  paper: string; // the paper's reported numbers (Qwen2.5-7B, average of five benchmarks)
  arms: { label: string; config: TrainConfig }[];
}

const LOOK_FOR: Record<string, { lookFor: string; paper: string }> = {
  'label-balance': {
    lookFor:
      'α/β chart: with random sampling (label ratio below ½) β climbs and α falls — the critic learns to say "wrong". The data filter feeds a 1:1 ratio; Eq. 3 reweighting pulls back toward (α+β)/2.',
    paper:
      'Table 2 critique accuracy: random 74.9%, random + reweight 77.4%, data filter 78.6% (generation 57.3 / 58.0 / 59.3%).',
  },
  'reward-shaping': {
    lookFor:
      'Precision–recall trajectory: "catch incorrect" (Eq. 5) moves up-left (precision up, recall down), "accept correct" (Eq. 6) down-right.',
    paper: 'Fig. 5: Eq. 5 gives higher precision and lower recall than Eq. 2; Eq. 6 the opposite.',
  },
  'joint-training': {
    lookFor:
      'Held-out generation: GC-RL should match or beat G-RL; held-out critique accuracy: GC-RL should match or beat C-RL, on the same training set.',
    paper:
      'Table 1 (Qwen2.5-7B): generation G-RL 56.7%, GC-RL 59.3%; critique accuracy C-RL 73.8%, GC-RL 78.6%.',
  },
  'static-vs-dynamic': {
    lookFor:
      'Critique verdicts: C-RL on random self-generated pairs collapses into "everything is incorrect" (β → 1, α → 0; at toy scale by about step 200, then held-out generation falls); static pairs and the data filter\'s 1:1 pairs do not (docs/reproduction.md).',
    paper:
      '§5.3: C-RL on dynamic self-generated pairs reward-hacks toward "incorrect"; static pairs train stably.',
  },
  denoising: {
    lookFor:
      'Held-out critique accuracy: the paper has r + k/m ending above r alone. At toy scale it did not (docs/reproduction.md): Eq. 4 pays 0.7·k/m after a "wrong" verdict, and some seeds drift to "incorrect" on everything — watch α.',
    paper:
      '§5.2: adding the refinement reward (Eq. 4) improves critique accuracy over the outcome reward alone.',
  },
};

/** The experiments with their arms' configs built on `base` (the page's current sizes and seed). */
export function pageExperiments(base: TrainConfig): PageExperiment[] {
  return Object.entries(EXPERIMENTS).map(([id, e]) => ({
    id,
    title: e.title,
    claim: e.claim,
    lookFor: LOOK_FOR[id]?.lookFor ?? '',
    paper: LOOK_FOR[id]?.paper ?? '',
    arms: e.arms.map((a) => ({
      label: a.label,
      config: {
        ...applySets(preset(a.preset), a.sets),
        // Keep the page's sizes, task, base, seed and schedule; the arm sets mode and method.
        task: base.task,
        base: base.base,
        seed: base.seed,
        steps: base.steps,
        rollout: { ...base.rollout },
        eval: { ...base.eval },
      },
    })),
  }));
}

/** Every arm at seeds base, base+1, …, base+seeds−1 (names say the seed when there are several). */
export function seededArms(e: PageExperiment, seeds: number): { label: string; config: TrainConfig }[] {
  return Array.from({ length: seeds }, (_, i) =>
    e.arms.map((a) => {
      const seed = a.config.seed + i;
      return { label: armRunName(a.label, seed, seeds), config: { ...a.config, seed } };
    }),
  ).flat();
}
