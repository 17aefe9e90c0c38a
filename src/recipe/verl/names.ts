// Playground names → verl names, shared by the setting table and the trainer yaml.
import type { TrainConfig } from '../../rl/config.js';

export const KL_TYPES = { k1: 'kl', k2: 'mse', k3: 'low_var_kl' } as const;
export const ADV = {
  grpo: { estimator: 'grpo', normStd: true },
  drGrpo: { estimator: 'grpo', normStd: false },
  rloo: { estimator: 'rloo', normStd: true },
  median: { estimator: 'gcrl_median', normStd: true },
} as const;
export const GROUPING = { 'per-prompt': 'per_prompt', mixed: 'step' } as const;
export const TABLE_CELLS = ['correctRight', 'correctWrong', 'wrongRight', 'wrongWrong', 'missing'] as const;
export const snakeCell = (k: string) => k.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`);

export const trainsResponses = (c: TrainConfig) => c.mode === 'grl' || c.mode === 'gcrl';
export const trainsCritiques = (c: TrainConfig) => c.mode !== 'grl' && c.mode !== 'coldstart-only';
