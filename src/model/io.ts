// Policies to and from checkpoints: the model config and tokenizer travel with the weights, and
// loading checks both against what this build of the playground expects.
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type Checkpoint,
  type Provenance,
} from '../checkpoint/checkpoint.js';
import { checkModelCheckpoint, projectVocab } from '../checkpoint/model-check.js';
import { TASK_SETTINGS, type TaskConfig, taskErrors } from '../coldstart/run.js';
import type { Runtime } from '../engine/runtime.js';
import { schemaErrors } from '../util/schema.js';
import { type GptConfig, gptParamSpecs } from './gpt.js';
import { Policy } from './policy.js';

/** The tokenizer's vocabulary, by id. */
export const vocabList = projectVocab;

/** What a checkpoint must hold to load as a policy of its stated config. */
export function expectFor(config: GptConfig) {
  return {
    paramShapes: Object.fromEntries(gptParamSpecs(config).map((s) => [s.name, s.shape])),
    vocab: vocabList(),
  };
}

/**
 * The model config of a checkpoint that loads as a policy of this build: dimensions within bounds,
 * vocabulary and tokenizer equal to the project's, every tensor's name, shape and dtype as the
 * model's, no NaN/Inf (src/checkpoint/model-check.ts); otherwise an error listing every problem.
 */
export const checkpointConfig = (ck: Pick<Checkpoint, 'model' | 'tokenizer' | 'weights'>): GptConfig =>
  checkModelCheckpoint(ck);

export async function policyCheckpoint(
  policy: Policy,
  provenance: Provenance,
  metrics?: Record<string, number>,
): Promise<Checkpoint> {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model: { ...policy.config },
    tokenizer: { vocab: vocabList() },
    provenance,
    ...(metrics
      ? { metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v))) }
      : {}),
    weights: await policy.weights(),
  };
}

export function policyFromCheckpoint(rt: Runtime, ck: Checkpoint): Policy {
  return Policy.create(rt, checkpointConfig(ck), ck.weights);
}

/** The task a checkpoint was trained on (provenance.data.task), checked against the task schema. */
export function checkpointTask(ck: Pick<Checkpoint, 'provenance'>): TaskConfig {
  const t = (ck.provenance.data as { task?: unknown }).task;
  const errs = schemaErrors(TASK_SETTINGS, { task: t }, 'provenance.data.task');
  if (!errs.length) errs.push(...taskErrors(t as TaskConfig));
  if (errs.length)
    throw new Error(`checkpoint provenance.data.task is missing or invalid: ${errs.join('; ')}`);
  return t as TaskConfig;
}
