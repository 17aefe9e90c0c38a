// `gcrl repro`: runs SPEC §5's experiments over several seeds (one shared held-out critique set
// per seed) and writes a markdown report: per-arm tables, paired effects with 95% t-intervals and
// verdicts, and SVG charts of the held-out metrics over steps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../engine/runtime.js';
import { policyFromCheckpoint } from '../model/io.js';
import { type SharedSet, sharedCritiqueSet } from '../report/critique-set.js';
import { lineChart } from '../report/svg.js';
import { preset, type TrainConfig } from '../rl/config.js';
import { progress, UsageError } from './args.js';
import { collapsed, EXPERIMENTS, type Experiment, findingsTable, judge } from './experiments.js';
import { type Curve, checkpointLoader, planRuns, runAll } from './repro-runs.js';

export interface ReproRequest {
  experiments: string[]; // names, or ['all']
  seeds: number;
  steps: number;
  evalEvery: number;
  jobs: number; // runs trained at once (worker threads; 1: in this thread)
  out: string;
  command: string;
}

/** Base checkpoints and per-seed critique sets, each loaded or built once for the whole report. */
class Shared {
  private readonly sets = new Map<string, Promise<SharedSet>>();
  readonly base = checkpointLoader();
  constructor(private readonly rt: Runtime) {}

  /** The seed's balanced critique set, sampled from the base checkpoint, shared by every arm of that seed. */
  set(cfg: TrainConfig): Promise<SharedSet> {
    const key = JSON.stringify([cfg.base, cfg.task, cfg.seed]);
    if (!this.sets.has(key))
      this.sets.set(
        key,
        this.base(cfg.base).then(async (ck) => {
          const policy = policyFromCheckpoint(this.rt, ck);
          try {
            return await sharedCritiqueSet(policy, cfg.task, cfg.seed);
          } finally {
            policy.dispose();
          }
        }),
      );
    return this.sets.get(key) as Promise<SharedSet>;
  }
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
  const shared = new Shared(rt);
  const plan = planRuns(names, r.seeds, r.steps, r.evalEvery);
  const t0 = performance.now();
  const eta = (done: number, total: number) => {
    const min = ((performance.now() - t0) / 60000 / Math.max(1, done)) * (total - done);
    return done ? ` (~${min.toFixed(0)} min left)` : '';
  };
  const jobs = Math.min(r.jobs, plan.runs.size);
  progress(0, plan.runs.size, `${plan.runs.size} runs, ${jobs} at a time`);
  const done = await runAll(rt, plan, {
    jobs,
    base: shared.base,
    evalSet: async (cfg) => (await shared.set(cfg)).items,
    onDone: (n, total) => progress(n, total, `runs finished${eta(n, total)}`),
  });
  const armCount = names.reduce((a, n) => a + (EXPERIMENTS[n]?.arms.length ?? 0), 0) * r.seeds;
  const sections: string[] = [];
  for (const name of names) {
    const e = EXPERIMENTS[name] as Experiment;
    const curves: Curve[][] = (plan.slots[name] ?? []).map((keys) => keys.map((k) => done.get(k) ?? []));
    const armIdx = (label: string) => e.arms.findIndex((x) => x.label === label);
    const finals = (a: number, k: string) => (curves[a] ?? []).map((c) => c.at(-1)?.m[k] ?? Number.NaN);
    const final = (a: number, k: string) => meanSd(finals(a, k));
    const start = (a: number, k: string) => meanSd((curves[a] ?? []).map((c) => c[0]?.m[k] ?? Number.NaN));
    const results = judge(e, (label, k) => finals(armIdx(label), k)); // index = seed − 1 in every arm
    const f = (x: { mu: number; sd: number }) => `${(100 * x.mu).toFixed(1)} ± ${(100 * x.sd).toFixed(1)}`;
    const table = [
      `| arm | ${e.metrics.map((k) => k.replace('eval/', '')).join(' | ')} |`,
      `|---|${e.metrics.map(() => '---:').join('|')}|`,
      `| base checkpoint (step 0) | ${e.metrics.map((k) => f(start(0, k))).join(' | ')} |`,
      ...e.arms.map((arm, a) => `| ${arm.label} | ${e.metrics.map((k) => f(final(a, k))).join(' | ')} |`),
    ];
    const collapses = e.arms.map((arm, a) => {
      const n = (curves[a] ?? []).filter(
        (c) => c.length > 1 && collapsed(c[0]?.m ?? {}, c.at(-1)?.m ?? {}),
      ).length;
      return `${arm.label} ${n}/${curves[a]?.length ?? 0}`;
    });
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
    // Every evaluation of every run, and the paired effects, for re-plotting and further analysis.
    const raw = e.arms.map((arm, a) => ({
      arm,
      seeds: (curves[a] ?? []).map((c) => c.map((p) => ({ step: p.step, ...p.m }))),
    }));
    writeFileSync(join(r.out, `${name}.json`), `${JSON.stringify({ arms: raw, findings: results })}\n`);
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
        `Paired effects (same seed, A − B), points with 95% t-intervals over ${r.seeds} seeds:`,
        '',
        ...findingsTable(results),
        '',
        ...(name === 'static-vs-dynamic'
          ? [`Runs that collapsed (§5.3 criterion, docs/reproduction.md): ${collapses.join(', ')}.`, '']
          : []),
        `![${e.title}](${name}.svg)`,
        '',
      ].join('\n'),
    );
  }
  const minutes = (performance.now() - t0) / 60000;
  const sets = await Promise.all(
    [...Array(r.seeds).keys()].map((i) => shared.set({ ...preset('gcrl'), seed: i + 1 })),
  );
  const sizes = sets.map((x) => x.items.length);
  const extra = Math.max(...sets.map((x) => x.extraQuestions));
  writeFileSync(
    join(r.out, 'README.md'),
    [
      '# Reproduction report',
      '',
      `Produced by \`${r.command}\` on node-cpu in ${minutes.toFixed(1)} minutes (${plan.runs.size} distinct`,
      `runs for ${armCount} arm × seed cells — identical configs train once — ${jobs} at a time). Base checkpoint:`,
      '`public/models/weak`; default `gcrl` settings otherwise (see docs/training.md). Held-out',
      `generation accuracy is measured every ${r.evalEvery} steps on all held-out questions; critique`,
      `metrics on one balanced set per seed, shared by every arm of that seed: ${sizes.join(', ')} items`,
      `(seeds 1…${r.seeds}), from the held-out questions and up to ${extra} further questions outside the`,
      'training and held-out sets, sampled from the base checkpoint. Seeds 1…N change rollouts and order;',
      'each finding is a paired difference (same seed, arm A − arm B) with a 95% Student-t interval and a',
      'verdict: reproduces (interval excludes 0 in the paper’s direction), opposite, or inconclusive.',
      '',
      ...sections,
    ].join('\n'),
  );
}
