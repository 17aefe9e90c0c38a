// `gcrl eval`: held-out generation accuracy and balanced-critique metrics of a checkpoint, as a
// table or as JSON, with flat metric keys (eval/gen/…, eval/critic/…).
import { resolve } from 'node:path';
import { type Checkpoint, CheckpointError } from '../checkpoint/checkpoint.js';
import { loadCheckpointDir } from '../checkpoint/node-fs.js';
import type { Runtime } from '../engine/runtime.js';
import { balancedCritiqueSet, critiqueAccuracy, generationAccuracy } from '../eval/evaluate.js';
import { makeSplits } from '../lm/tasks.js';
import { checkpointConfig, checkpointTask, policyFromCheckpoint } from '../model/io.js';
import type { Policy } from '../model/policy.js';

export interface EvalRequest {
  checkpoint: string;
  pool?: string[]; // other checkpoints whose responses also build the critique set
  samples: number; // sampled responses per question per pool checkpoint
  seed: number;
}

/** Loads a checkpoint folder and checks it against the model; errors name the folder. */
async function loadChecked(dir: string): Promise<Checkpoint> {
  const ck = await loadCheckpointDir(dir);
  try {
    checkpointConfig(ck);
  } catch (e) {
    throw new CheckpointError(`${dir}: ${(e as Error).message}`, { cause: e });
  }
  return ck;
}

export async function evaluateCheckpoint(rt: Runtime, req: EvalRequest): Promise<Record<string, number>> {
  // Every checkpoint is read and checked before any policy is built.
  const ck = await loadChecked(req.checkpoint);
  const task = checkpointTask(ck);
  const others = (req.pool ?? []).filter((d) => resolve(d) !== resolve(req.checkpoint));
  const pooled = await Promise.all(others.map(loadChecked));
  const splits = makeSplits({ ...task, seed: task.splitSeed });
  const policy = policyFromCheckpoint(rt, ck);
  const pool: Policy[] = [policy];
  try {
    for (const p of pooled) pool.push(policyFromCheckpoint(rt, p));
    const greedy = await generationAccuracy(policy, splits.heldOut, 0, { seed: req.seed });
    const sampled = await generationAccuracy(policy, splits.heldOut, 1, { seed: req.seed });
    const set = await balancedCritiqueSet(pool, splits.heldOut, req.samples, { seed: req.seed });
    const c = await critiqueAccuracy(policy, set.items, 0, { seed: req.seed });
    return {
      'eval/gen/acc': greedy.acc,
      'eval/gen/acc_sampled': sampled.acc,
      'eval/gen/format_rate': greedy.formatRate,
      'eval/gen/response_length': greedy.meanLength,
      'eval/critic/n': c.n,
      'eval/critic/questions': set.questionsKept,
      'eval/critic/acc': c.acc,
      'eval/critic/precision': c.precision,
      'eval/critic/recall': c.recall,
      'eval/critic/f1': c.f1,
      'eval/critic/alpha': c.alpha,
      'eval/critic/beta': c.beta,
      'eval/critic/verdict_rate': c.verdictRate,
      'eval/critic/format_rate': c.formatRate,
      'eval/critic/right_verdict_wrong_working': c.rightVerdictWrongWorking,
      'eval/critic/tp': c.confusion.tp,
      'eval/critic/fn': c.confusion.fn,
      'eval/critic/fp': c.confusion.fp,
      'eval/critic/tn': c.confusion.tn,
      'eval/critic/none_on_correct': c.confusion.noneOnCorrect,
      'eval/critic/none_on_wrong': c.confusion.noneOnWrong,
    };
  } finally {
    for (const p of new Set([policy, ...pool])) p.dispose();
  }
}

/** A two-column text table of the metrics, with the confusion matrix laid out. */
export function formatEvalTable(m: Record<string, number>): string {
  const pct = (k: string) => `${(100 * (m[k] ?? Number.NaN)).toFixed(1)}%`;
  const num = (k: string) => String(m[k]);
  const rows: [string, string][] = [
    ['generation accuracy (greedy)', pct('eval/gen/acc')],
    ['generation accuracy (sampled, T=1)', pct('eval/gen/acc_sampled')],
    ['generation format-valid rate', pct('eval/gen/format_rate')],
    [
      'critique set',
      `${num('eval/critic/n')} items (${num('eval/critic/questions')} questions, 1 correct + 1 wrong)`,
    ],
    ['critique accuracy', pct('eval/critic/acc')],
    ['precision (positive = response correct)', pct('eval/critic/precision')],
    ['recall = alpha', pct('eval/critic/recall')],
    ['F1', pct('eval/critic/f1')],
    ['beta (says wrong | wrong)', pct('eval/critic/beta')],
    ['verdict rate', pct('eval/critic/verdict_rate')],
    ['format-valid rate', pct('eval/critic/format_rate')],
    ['right verdict, wrong working', pct('eval/critic/right_verdict_wrong_working')],
  ];
  const w = rows.reduce((a, [k]) => Math.max(a, k.length), 0);
  const conf = [
    '',
    'confusion            verdict correct   verdict wrong   no verdict',
    `response correct     ${num('eval/critic/tp').padStart(15)} ${num('eval/critic/fn').padStart(15)} ${num('eval/critic/none_on_correct').padStart(12)}`,
    `response wrong       ${num('eval/critic/fp').padStart(15)} ${num('eval/critic/tn').padStart(15)} ${num('eval/critic/none_on_wrong').padStart(12)}`,
  ];
  return [...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`), ...conf].join('\n');
}
