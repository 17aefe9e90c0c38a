// `gcrl probe`: the critic probe from the command line on any transformers.js text-generation model
// (an exported folder or a Hub id), with a built-in or file template, at a chosen label ratio.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isFolder, loadHfModel } from '../hf/node-fs.js';
import {
  formatProbe,
  PROBE_SET_DEFAULTS,
  type ProbeSetOptions,
  type ProbeTemplate,
  parseTemplate,
  probeSet,
  runProbe,
  TEMPLATES,
} from '../hf/probe.js';
import { FAMILIES, type Family } from '../lm/tasks.js';
import { progress, UsageError } from './args.js';

export const PROBE_USAGE = `gcrl probe --model DIR|HUB_ID [--template ${Object.keys(TEMPLATES).join('|')}|FILE.json] [--ratio p]
                  [--limit N] [--family add|sub|mul1|mod] [--digits D] [--dtype fp32|q8|q4|…] [--seed S] [--json]
  runs a transformers.js text-generation model as a critic over the balanced critique set
  (held-out questions, one correct and one wrong response each) and reports α, β, precision,
  recall, the confusion matrix and Appendix C's predicted pull at label ratio p (default 0.1).
  A template file is JSON: {"prompt": "…{expression}…{answer}…", "ok": "regex", "bad": "regex", "maxNewTokens": 6}.
  Default template: gcrl for models exported by gcrl, yes-no otherwise.`;

export const PROBE_OPTIONS = {
  model: { type: 'string' },
  template: { type: 'string' },
  ratio: { type: 'string' },
  limit: { type: 'string' },
  family: { type: 'string' },
  digits: { type: 'string' },
  dtype: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function exportedConfig(model: string): Promise<Record<string, unknown> | null> {
  if (!(await isFolder(model))) return null;
  try {
    return JSON.parse(await readFile(join(model, 'config.json'), 'utf8'));
  } catch {
    return null;
  }
}

export async function probeCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { ...PROBE_OPTIONS, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(PROBE_USAGE);
    return;
  }
  if (!values.model) throw new UsageError(`probe needs --model DIR|HUB_ID\n${PROBE_USAGE}`);
  const num = (name: string, v: string | undefined, ok: (n: number) => boolean): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!ok(n)) throw new UsageError(`--${name}: bad value '${v}'`);
    return n;
  };
  const ratio = num('ratio', values.ratio, (n) => n >= 0 && n <= 1) ?? 0.1;
  const config = await exportedConfig(values.model);
  const gcrl = config?.gcrl as { data?: { task?: Partial<ProbeSetOptions> } } | undefined;
  const name = values.template ?? (gcrl ? 'gcrl' : 'yes-no');
  const template: ProbeTemplate =
    TEMPLATES[name] ??
    parseTemplate(
      await readFile(name, 'utf8').catch(() => {
        throw new UsageError(
          `--template: '${name}' is neither a built-in (${Object.keys(TEMPLATES).join(', ')}) nor a readable file`,
        );
      }),
    );
  if (values.family && !FAMILIES.includes(values.family as Family))
    throw new UsageError(`--family must be one of ${FAMILIES.join(', ')}`);
  const task = { ...PROBE_SET_DEFAULTS, ...(gcrl?.data?.task ?? {}) };
  const set: ProbeSetOptions = {
    family: (values.family as Family) ?? task.family,
    digits: num('digits', values.digits, Number.isInteger) ?? task.digits,
    heldOutSize: task.heldOutSize,
    splitSeed: task.splitSeed,
    limit: num('limit', values.limit, (n) => Number.isInteger(n) && n > 0),
    seed: num('seed', values.seed, Number.isInteger) ?? 0,
  };
  const model = await loadHfModel(values.model, {
    allowRemote: !(await isFolder(values.model)),
    dtype: values.dtype,
  });
  try {
    const items = probeSet(set);
    const [report, metrics] = await runProbe(
      async (prompt, maxNewTokens) => (await model.generate(prompt, { maxNewTokens })).text,
      items,
      template,
      ratio,
      (done, total) => progress(done, total, 'critiques'),
    );
    console.log(values.json ? JSON.stringify(metrics) : formatProbe(report));
  } finally {
    await model.dispose();
  }
}
