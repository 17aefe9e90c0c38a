// `gcrl repro`: runs SPEC §5's experiments over several seeds and writes a markdown report with
// mean ± spread tables and SVG charts of the held-out metrics over steps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpointDir } from '../checkpoint/node-fs.js';
import type { Runtime } from '../engine/runtime.js';
import { lineChart } from '../report/svg.js';
import { preset } from '../rl/config.js';
import { runHeadless } from '../rl/run-controller.js';
import { GcrlTrainer } from '../rl/trainer.js';
import { applySets, progress, UsageError } from './args.js';
import { EXPERIMENTS, type Experiment } from './experiments.js';

export interface ReproRequest {
  experiments: string[]; // names, or ['all']
  seeds: number;
  steps: number;
  evalEvery: number;
  out: string;
  command: string;
}

type Curve = { step: number; m: Record<string, number> }[];

async function runArm(
  rt: Runtime,
  e: Experiment,
  armIdx: number,
  seed: number,
  r: ReproRequest,
): Promise<Curve> {
  const arm = e.arms[armIdx] as Experiment['arms'][number];
  const cfg = applySets(preset(arm.preset), arm.sets);
  Object.assign(cfg, { seed, steps: r.steps });
  cfg.eval = { every: r.evalEvery, questions: cfg.task.heldOutSize }; // the whole held-out set
  const t = await GcrlTrainer.create(rt, cfg, await loadCheckpointDir(cfg.base));
  const curve: Curve = [];
  try {
    // the page's step loop: row 0 is the evaluation before training, later rows carry eval/ keys every evalEvery steps
    await runHeadless(t, (m) => {
      if (m.step === 0 || 'eval/gen/acc' in m) curve.push({ step: m.step as number, m });
    });
  } finally {
    t.dispose();
  }
  return curve;
}

const meanSd = (xs: number[]) => {
  const v = xs.filter(Number.isFinite);
  const mu = v.reduce((a, b) => a + b, 0) / (v.length || 1);
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / (v.length - 1)) : 0;
  return { mu, sd, n: v.length };
};

export async function reproCommand(rt: Runtime, r: ReproRequest): Promise<void> {
  const names = r.experiments.includes('all') ? Object.keys(EXPERIMENTS) : r.experiments;
  for (const n of names) {
    if (!Object.hasOwn(EXPERIMENTS, n))
      // own names only: `constructor` is no experiment
      throw new UsageError(`unknown experiment '${n}' (valid: ${Object.keys(EXPERIMENTS).join(', ')}, all)`);
  }
  mkdirSync(r.out, { recursive: true });
  const total = names.reduce((a, n) => a + (EXPERIMENTS[n]?.arms.length ?? 0), 0) * r.seeds;
  let done = 0;
  const t0 = performance.now();
  const sections: string[] = [];
  for (const name of names) {
    const e = EXPERIMENTS[name] as Experiment;
    const curves: Curve[][] = e.arms.map(() => []);
    for (let a = 0; a < e.arms.length; a++) {
      for (let s = 1; s <= r.seeds; s++) {
        curves[a]?.push(await runArm(rt, e, a, s, r));
        progress(++done, total, `${name}: ${e.arms[a]?.label} seed ${s}`);
      }
    }
    const final = (a: number, k: string) =>
      meanSd((curves[a] ?? []).map((c) => c.at(-1)?.m[k] ?? Number.NaN));
    const start = (a: number, k: string) => meanSd((curves[a] ?? []).map((c) => c[0]?.m[k] ?? Number.NaN));
    const byLabel = (label: string, k: string) =>
      final(
        e.arms.findIndex((x) => x.label === label),
        k,
      ).mu;
    const f = (x: { mu: number; sd: number }) => `${(100 * x.mu).toFixed(1)} ± ${(100 * x.sd).toFixed(1)}`;
    const table = [
      `| arm | ${e.metrics.map((k) => k.replace('eval/', '')).join(' | ')} |`,
      `|---|${e.metrics.map(() => '---:').join('|')}|`,
      `| base checkpoint (step 0) | ${e.metrics.map((k) => f(start(0, k))).join(' | ')} |`,
      ...e.arms.map((arm, a) => `| ${arm.label} | ${e.metrics.map((k) => f(final(a, k))).join(' | ')} |`),
    ];
    const series = e.arms.map((arm, a) => {
      const steps = (curves[a]?.[0] ?? []).map((p) => p.step);
      return {
        label: arm.label,
        points: steps.map(
          (st, i) =>
            [st, meanSd((curves[a] ?? []).map((c) => c[i]?.m[e.chart] ?? Number.NaN)).mu] as [number, number],
        ),
      };
    });
    writeFileSync(
      join(r.out, `${name}.svg`),
      lineChart(`${e.title}: ${e.chart}`, e.chart.replace('eval/', ''), series),
    );
    // Every evaluation of every run, for re-plotting and further analysis.
    const raw = e.arms.map((arm, a) => ({
      arm,
      seeds: (curves[a] ?? []).map((c) => c.map((p) => ({ step: p.step, ...p.m }))),
    }));
    writeFileSync(join(r.out, `${name}.json`), `${JSON.stringify(raw)}\n`);
    sections.push(
      [
        `## ${e.title}`,
        '',
        `Paper: ${e.claim}.`,
        '',
        `Arms: ${e.arms.map((x) => `${x.label} (\`--preset ${x.preset}${x.sets.map((s) => ` --set ${s}`).join('')}\`)`).join('; ')}.`,
        '',
        `Held-out metrics after ${r.steps} steps, % (mean ± sd over ${r.seeds} seeds):`,
        '',
        ...table,
        '',
        e.check(byLabel),
        '',
        `![${e.title}](${name}.svg)`,
        '',
      ].join('\n'),
    );
  }
  const minutes = (performance.now() - t0) / 60000;
  writeFileSync(
    join(r.out, 'README.md'),
    [
      '# Reproduction report',
      '',
      `Produced by \`${r.command}\` on node-cpu in ${minutes.toFixed(1)} minutes. Base checkpoint:`,
      '`public/models/weak`; default `gcrl` settings otherwise (see docs/training.md). Held-out',
      `metrics are measured every ${r.evalEvery} steps on all 256 held-out questions and a fixed`,
      'balanced critique set built from the base checkpoint; seeds 1…N change rollouts and order.',
      '',
      ...sections,
    ].join('\n'),
  );
}
