// The held-out critique set `gcrl repro` shares across all arms of one seed: balanced (one correct
// and one wrong response per kept question) and large enough for a standard error ≤ 2 points.
import type { TaskConfig } from '../coldstart/run.js';
import { balancedCritiqueSet, type CritiqueItem } from '../eval/evaluate.js';
import { makeSplits, type Question, questionSpaceSize } from '../lm/tasks.js';
import type { Policy } from '../model/policy.js';

export interface SharedSetOptions {
  minItems: number; // stop adding questions once the set holds this many items
  samples: number; // responses sampled per question (temperature 1) to find a correct and a wrong one
  chunk: number; // questions added per round beyond the held-out set
}

/** 640 items: one seed's standard error √(p(1−p)/n) ≤ 2 points at any accuracy p (600 gives 2.04 at p = ½). */
export const SHARED_SET: Readonly<SharedSetOptions> = Object.freeze({
  minItems: 640,
  samples: 16,
  chunk: 128,
});

export interface SharedSet {
  items: CritiqueItem[];
  heldOutQuestions: number; // of the task's held-out set (all of it is always used first)
  extraQuestions: number; // further questions outside the training and held-out sets
  questionsKept: number; // questions with both a correct and a wrong response (2 items each)
}

/**
 * Critique questions in order: the whole held-out set, then `extra` questions that are in neither
 * the training nor the held-out set — the continuation of the split's own draw (a partial
 * Fisher–Yates prefix does not depend on how far it is drawn), so they are fixed by the split seed.
 */
export function critiqueQuestions(task: TaskConfig, extra: number): Question[] {
  const need = task.trainSize + task.heldOutSize;
  const room = questionSpaceSize(task.family, task.digits) - need;
  const n = Math.max(0, Math.min(extra, room));
  const held = makeSplits({ ...task, seed: task.splitSeed }).heldOut;
  if (!n) return [...held];
  const wide = makeSplits({ ...task, trainSize: 0, heldOutSize: need + n, seed: task.splitSeed }).heldOut;
  return [...held, ...wide.slice(need)];
}

/**
 * The balanced set for one seed, sampled from `policy` (the base checkpoint): the held-out
 * questions first, then rounds of `chunk` further questions until `minItems` items or the
 * question space runs out. Deterministic in (task, seed).
 */
export async function sharedCritiqueSet(
  policy: Pick<Policy, 'generate'>,
  task: TaskConfig,
  seed: number,
  o: SharedSetOptions = SHARED_SET,
): Promise<SharedSet> {
  const room = questionSpaceSize(task.family, task.digits) - task.trainSize - task.heldOutSize;
  const items: CritiqueItem[] = [];
  let kept = 0;
  let extra = 0;
  let done = 0; // questions already sampled
  for (let round = 0; ; round++) {
    const qs = critiqueQuestions(task, extra).slice(done);
    const r = await balancedCritiqueSet([policy], qs, o.samples, { seed: seed + 7919 * round });
    items.push(...r.items);
    kept += r.questionsKept;
    done += qs.length;
    if (items.length >= o.minItems || extra >= room) break;
    extra = Math.min(room, extra + o.chunk);
  }
  return { items, heldOutQuestions: task.heldOutSize, extraQuestions: extra, questionsKept: kept };
}
