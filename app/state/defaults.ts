// The page's defaults: the CLI's training defaults with a served base checkpoint and a lighter
// held-out evaluation, so a first visit sees the first points within seconds.
import { TRAIN_DEFAULTS, type TrainConfig } from '../../src/rl/config.js';

export type { TrainConfig };

export const PAGE_DEFAULTS: Readonly<TrainConfig> = Object.freeze({
  ...structuredClone(TRAIN_DEFAULTS),
  base: 'weak',
  eval: { every: 10, questions: 64 },
});
