// The one declarative table of user-editable training settings, shared by the URL hash and the settings form.
// Kinds, bounds and allowed names come from the training schema (src/rl/config.ts SETTINGS); this
// table adds what only the page needs: URL keys, labels, help, groups, option labels and steps.
import type { Family } from '../../src/lm/tasks.js';
import { type Mode, SETTINGS, type TrainConfig } from '../../src/rl/config.js';
import type { Aggregation, KlEstimator } from '../../src/rl/grpo-graph.js';
import { pick } from '../../src/util/schema.js';

export type FieldGroup = 'run' | 'task' | 'rollout' | 'critic' | 'reward' | 'grpo' | 'eval';
export type FieldKind = 'enum' | 'int' | 'number' | 'bool';
export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldSpec {
  path: string; // dotted TrainConfig path, e.g. 'critique.input'
  url: string; // short URL key (unique)
  label: string;
  help: string; // shown on hover and keyboard focus
  group: FieldGroup;
  kind: FieldKind;
  options?: readonly FieldOption[]; // enum
  min?: number;
  max?: number;
  step?: number;
}

/** Fieldset order and legends for the form. */
export const GROUPS: readonly { id: FieldGroup; legend: string }[] = [
  { id: 'run', legend: 'Run' },
  { id: 'task', legend: 'Task' },
  { id: 'rollout', legend: 'Rollout' },
  { id: 'critic', legend: 'Critic input' },
  { id: 'reward', legend: 'Reward' },
  { id: 'grpo', legend: 'GRPO' },
  { id: 'eval', legend: 'Held-out evaluation' },
];

const opts = <T extends string>(o: readonly { value: T; label: string }[]): readonly FieldOption[] => o;

export const MODE_OPTIONS = opts<Mode>([
  { value: 'grl', label: 'G-RL' },
  { value: 'crl-static', label: 'C-RL static' },
  { value: 'crl-dynamic', label: 'C-RL dynamic' },
  { value: 'gcrl', label: 'GC-RL' },
  { value: 'critique-rl', label: 'Critique-RL (two-stage)' },
  { value: 'coldstart-only', label: 'Cold start only' },
]);

/** Shipped checkpoints; the page may pass the list it loaded from models/index.json instead. */
export const BASE_OPTIONS: readonly FieldOption[] = [
  { value: 'weak', label: 'weak (cold start, 1200 steps)' },
  { value: 'medium', label: 'medium (1400 steps)' },
];

const FAMILY_OPTIONS = opts<Family>([
  { value: 'add', label: 'add (a+b)' },
  { value: 'sub', label: 'sub (a−b, a ≥ b)' },
  { value: 'mul1', label: 'mul1 (a×one digit)' },
  { value: 'mod', label: 'mod (a mod 2–9)' },
]);
const INPUT_OPTIONS = opts<TrainConfig['critique']['input']>([
  { value: 'filter', label: 'Data filter (balanced 1:1)' },
  { value: 'random', label: 'Random' },
  { value: 'randomReweight', label: 'Random + reweight (Eq. 3)' },
]);
const ADVANTAGE_OPTIONS = opts<TrainConfig['grpo']['advantage']>([
  { value: 'grpo', label: 'GRPO (mean/std)' },
  { value: 'drGrpo', label: 'Dr. GRPO' },
  { value: 'rloo', label: 'RLOO' },
  { value: 'median', label: 'MC-GRPO median' },
]);
const GROUPING_OPTIONS = opts<TrainConfig['grpo']['grouping']>([
  { value: 'per-prompt', label: 'per prompt' },
  { value: 'mixed', label: 'mixed (one group per step)' },
]);
const KL_OPTIONS = opts<KlEstimator>([
  { value: 'k1', label: 'k1 (log ratio)' },
  { value: 'k2', label: 'k2 (½ log ratio²)' },
  { value: 'k3', label: 'k3 (low variance)' },
]);
const AGGREGATION_OPTIONS = opts<Aggregation>([
  { value: 'token-mean', label: 'token mean' },
  { value: 'seq-mean-token-mean', label: 'seq mean of token means' },
  { value: 'seq-mean-token-sum', label: 'seq mean of token sums' },
]);

/** Help texts by URL key (SPEC §3 wording), shown on hover and keyboard focus. */
const HELP: Record<string, string> = {
  mode: 'Which orders are trained: G-RL responses only, C-RL critiques only (on a static pair set built before training, or dynamic pairs, where §5.3 reports reward hacking), GC-RL both, Critique-RL two stages (verdict reward, then the refinement reward).',
  base: 'The cold-start checkpoint training starts from; it is also the frozen reference of the KL penalty.',
  seed: 'Seeds question order, sampling and shuffles: the same seed and settings give the same run.',
  steps: 'Training steps; each one does the rollouts and one GRPO update.',
  family: 'The arithmetic question family; a rule-based verifier checks each answer (Eq. 1).',
  digits: 'Operand digits: the difficulty knob. The shipped checkpoints were cold-started on 2 digits.',
  train: 'Size of the finite RL training set of questions.',
  heldout: 'Size of the disjoint held-out question set used for evaluation.',
  split:
    'Seeds the train / held-out split, shared by cold start, RL and evaluation; change it only with a matching checkpoint.',
  q: 'Questions sampled per step for the first-order rollout.',
  n: 'Responses sampled per question (the GRPO group; paper: n = 5).',
  temp: 'Sampling temperature for responses and critiques (1: the model’s own distribution).',
  topk: 'Keep only the k most likely tokens when sampling (0: all).',
  topp: 'Nucleus sampling: keep the smallest set of tokens whose probability reaches p (1: all).',
  input:
    'How (question, response) pairs reach the critic. Data filter (§3): per question keep one correct and one wrong response, none if all agree. Random (§5.1): uniform pairs, labels follow the accuracy p. Random + reweight: Eq. 3 weights 0.35/p and 0.35/(1−p).',
  pairs: 'Question–response pairs critiqued per step in the second-order rollout.',
  cn: 'Critiques sampled per pair (the critique GRPO group).',
  cache:
    'Capacity of the question–response cache the data filter fills and second-order rollouts sample from.',
  m: 'Eq. 4 (§5.2): sample m refinements per critique and add R_q(c) = 0.1·k/m (verdict correct) or 0.7·k/m (verdict wrong). 0: off; paper: m = 1.',
  static:
    'C-RL static: responses sampled per question before training to build the balanced pair set (paper: 10, one correct + one wrong kept).',
  r_cr: 'Critique reward when the response is truly correct and the verdict says correct (Eq. 2: 0.7).',
  r_cw: 'Critique reward when a correct response is called wrong (Eq. 2: 0; negative = a penalty).',
  r_wr: 'Critique reward when the response is truly wrong and the verdict says wrong (Eq. 2: 0.7).',
  r_ww: 'Critique reward when a wrong response is called correct (Eq. 2: 0; negative = a penalty).',
  r_none: 'Critique reward when no verdict can be parsed (Eq. 2: 0; negative = a format penalty).',
  adv: 'GRPO (mean/std), Dr. GRPO (mean only), RLOO (leave-one-out mean), or the median baseline of MC-GRPO, aimed at small groups.',
  group:
    'Per prompt: the n responses of one question, the n critiques of one pair. Mixed: the literal reading of §3, responses and critiques of a step in one group.',
  skip0:
    'Drop groups whose rewards are all equal: their advantages are zero and only the KL term would move.',
  mb: 'Sequences per optimiser step (PPO-style mini-batches; paper: 128 of 512).',
  epochs: 'Passes over each step’s batch.',
  lr: 'AdamW learning rate. The paper’s 1e-6 is for 7B models; the weak checkpoint collapses at 1e-3 and is noisy at 1e-4.',
  kl: 'β_KL: weight of the KL penalty to the frozen cold-start reference (paper: 1e-3).',
  klest: 'Estimator of KL(π‖π_ref) from per-token log-probs; k3 is the paper’s low-variance one.',
  clip: 'The importance ratio is clipped below at 1 − ε (paper: 0.2).',
  cliphi: 'The ratio is clipped above at 1 + ε; a larger upper ε than the lower one is DAPO’s clip-higher.',
  agg: 'How per-token losses become one number: token mean (the paper’s), mean over sequences of token means, or of token sums (Dr. GRPO style, no length normalisation).',
  evalevery:
    'Evaluate on the held-out questions and the balanced held-out critique set every K steps (0: off).',
  evalq: 'Held-out questions per evaluation; at most the held-out set size.',
};

/** Labels of the enum options by setting path (values come from the schema; a value without one shows as is). */
const OPTION_LABELS: Record<string, readonly FieldOption[]> = {
  mode: MODE_OPTIONS,
  'task.family': FAMILY_OPTIONS,
  'critique.input': INPUT_OPTIONS,
  'grpo.advantage': ADVANTAGE_OPTIONS,
  'grpo.grouping': GROUPING_OPTIONS,
  'grpo.kl': KL_OPTIONS,
  'grpo.aggregation': AGGREGATION_OPTIONS,
};

/** A field whose kind, bounds and options are the schema's; `base` is the page's list of checkpoints. */
const f = (path: string, url: string, label: string, group: FieldGroup, step?: number): FieldSpec => {
  const base = { path, url, label, help: HELP[url] ?? '', group };
  if (path === 'base') return { ...base, kind: 'enum', options: BASE_OPTIONS };
  const s = pick(SETTINGS, path, 'setting');
  switch (s.kind) {
    case 'enum': {
      const labels = Object.hasOwn(OPTION_LABELS, path) ? OPTION_LABELS[path] : undefined;
      const options = s.values.map((value) => ({
        value,
        label: labels?.find((o) => o.value === value)?.label ?? value,
      }));
      return { ...base, kind: 'enum', options };
    }
    case 'bool':
      return { ...base, kind: 'bool' };
    case 'int':
    case 'number':
      return { ...base, kind: s.kind, min: s.min, max: s.max, ...(step === undefined ? {} : { step }) };
    default:
      throw new Error(`setting ${path} (${s.kind}) has no form field kind`);
  }
};

/** Every editable setting, in URL and form order. */
export const FIELDS: readonly FieldSpec[] = [
  f('mode', 'mode', 'Mode', 'run'),
  f('base', 'base', 'Base checkpoint', 'run'),
  f('seed', 'seed', 'Seed', 'run'),
  f('steps', 'steps', 'Steps', 'run'),
  f('task.family', 'family', 'Family', 'task'),
  f('task.digits', 'digits', 'Digits', 'task'),
  f('task.trainSize', 'train', 'Training set', 'task'),
  f('task.heldOutSize', 'heldout', 'Held-out set', 'task'),
  f('task.splitSeed', 'split', 'Split seed', 'task'),
  f('rollout.questions', 'q', 'Questions / step', 'rollout'),
  f('rollout.n', 'n', 'Group size n', 'rollout'),
  f('rollout.temperature', 'temp', 'Temperature', 'rollout', 0.1),
  f('rollout.topK', 'topk', 'Top-k', 'rollout'),
  f('rollout.topP', 'topp', 'Top-p', 'rollout', 0.05),
  f('critique.input', 'input', 'Critic input', 'critic'),
  f('critique.pairs', 'pairs', 'Pairs / step', 'critic'),
  f('critique.n', 'cn', 'Critiques / pair', 'critic'),
  f('critique.cacheCapacity', 'cache', 'Pair cache size', 'critic'),
  f('critique.denoiseM', 'm', 'Refinements m', 'critic'),
  f('critique.staticResponses', 'static', 'Static responses', 'critic'),
  f('critique.reward.correctRight', 'r_cr', 'Correct response, verdict correct', 'reward', 0.1),
  f('critique.reward.correctWrong', 'r_cw', 'Correct response, verdict wrong', 'reward', 0.1),
  f('critique.reward.wrongRight', 'r_wr', 'Wrong response, verdict wrong', 'reward', 0.1),
  f('critique.reward.wrongWrong', 'r_ww', 'Wrong response, verdict correct', 'reward', 0.1),
  f('critique.reward.missing', 'r_none', 'Missing verdict', 'reward', 0.1),
  f('grpo.advantage', 'adv', 'Advantage', 'grpo'),
  f('grpo.grouping', 'group', 'Grouping', 'grpo'),
  f('grpo.skipZeroVariance', 'skip0', 'Skip zero-variance groups', 'grpo'),
  f('grpo.miniBatch', 'mb', 'Mini-batch', 'grpo'),
  f('grpo.epochs', 'epochs', 'Epochs', 'grpo'),
  f('grpo.lr', 'lr', 'Learning rate', 'grpo', 1e-5),
  f('grpo.klCoef', 'kl', 'KL coefficient', 'grpo', 1e-4),
  f('grpo.kl', 'klest', 'KL estimator', 'grpo'),
  f('grpo.clipLow', 'clip', 'Clip ε (low)', 'grpo', 0.01),
  f('grpo.clipHigh', 'cliphi', 'Clip ε (high)', 'grpo', 0.01),
  f('grpo.aggregation', 'agg', 'Loss aggregation', 'grpo'),
  f('eval.every', 'evalevery', 'Every K steps', 'eval'),
  f('eval.questions', 'evalq', 'Questions', 'eval'),
];

/** The spec of a URL key or a path, if any. */
export const fieldByUrl = (url: string): FieldSpec | undefined => FIELDS.find((x) => x.url === url);
export const fieldByPath = (path: string): FieldSpec | undefined => FIELDS.find((x) => x.path === path);

/** The value at a dotted path (undefined when any step is missing). */
export function getPath(cfg: unknown, path: string): unknown {
  let v: unknown = cfg;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** A copy of `cfg` with `path` set to `value`; objects along the path are copied, the rest shared. */
export function setPath<T>(cfg: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const obj = (cfg ?? {}) as Record<string, unknown>;
  return { ...obj, [head]: rest.length ? setPath(obj[head], rest.join('.'), value) : value } as T;
}

export type Parsed = { ok: true; value: string | number | boolean } | { ok: false; error: string };

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** What a field accepts, in words (for error messages). */
export function allowedText(f: FieldSpec, options = f.options): string {
  switch (f.kind) {
    case 'enum':
      return `one of ${(options ?? []).map((o) => o.value).join(', ')}`;
    case 'bool':
      return '1 or 0';
    default: {
      const what = f.kind === 'int' ? 'an integer' : 'a number';
      if (f.min !== undefined && f.max !== undefined) return `${what} in [${f.min}, ${f.max}]`;
      if (f.min !== undefined) return `${what} ≥ ${f.min}`;
      return what;
    }
  }
}

/**
 * Parses raw text (from the URL or a form input) for a field; never throws. Errors read
 * "'lr': "abc" is not allowed (a number in [0, 1])".
 */
export function parseFieldValue(f: FieldSpec, raw: string, options = f.options): Parsed {
  const bad = (): Parsed => ({
    ok: false,
    error: `'${f.url}': ${show(raw)} is not allowed (${allowedText(f, options)})`,
  });
  switch (f.kind) {
    case 'enum':
      return (options ?? []).some((o) => o.value === raw) ? { ok: true, value: raw } : bad();
    case 'bool':
      if (raw === '1' || raw === 'true') return { ok: true, value: true };
      if (raw === '0' || raw === 'false') return { ok: true, value: false };
      return bad();
    default: {
      const t = raw.trim();
      if (!NUMBER_RE.test(t)) return bad();
      const n = Number(t);
      if (!Number.isFinite(n) || (f.kind === 'int' && !Number.isInteger(n))) return bad();
      if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) return bad();
      return { ok: true, value: n };
    }
  }
}

/** A value as written in the URL and shown in an input: String(n), booleans as 1/0. */
export function formatFieldValue(v: unknown): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}
