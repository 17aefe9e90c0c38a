// The playground's own train / held-out split as verl dataset rows (chat prompts, rule ground truth), so the
// first cluster run sees the same finite question set; prepare_data.py turns the JSON lines into parquet.
import type { TaskConfig } from '../../coldstart/run.js';
import { makeSplits, type Question } from '../../lm/tasks.js';

const WORDS = { add: '+', sub: '-', mul1: '×', mod: 'mod' } as const;

/** One verl RLHFDataset row: `prompt` (chat messages), `reward_model.ground_truth`, `extra_info.question`. */
export interface VerlRow {
  data_source: string;
  prompt: { role: 'user'; content: string }[];
  ability: 'math';
  reward_model: { style: 'rule'; ground_truth: string };
  extra_info: { split: 'train' | 'test'; index: number; question: string; playground: string };
}

/** A question in words a chat model reads ("What is 7 + 85?"), with the natural-order answer. */
export function verlRow(q: Question, split: 'train' | 'test', index: number, digits: number): VerlRow {
  const question = `What is ${q.a} ${WORDS[q.family]} ${q.b}?`;
  return {
    data_source: `gcrl/${q.family}${digits}`,
    prompt: [
      { role: 'user', content: `${question} Reason step by step, then put your final answer in \\boxed{}.` },
    ],
    ability: 'math',
    reward_model: { style: 'rule', ground_truth: String(q.answer) },
    extra_info: { split, index, question, playground: q.text },
  };
}

/** The split as JSON lines: `[train.jsonl, test.jsonl]`. */
export function splitRows(task: TaskConfig): [string, string] {
  const s = makeSplits({ ...task, seed: task.splitSeed });
  const lines = (qs: readonly Question[], split: 'train' | 'test') =>
    qs.map((q, i) => `${JSON.stringify(verlRow(q, split, i, task.digits))}\n`).join('');
  return [lines(s.train, 'train'), lines(s.heldOut, 'test')];
}
