// One browser visit of the browser benchmark: a first visit to the production page on one backend,
// the demo run (default preset) trained through the real page and run worker, watched by an in-page
// probe (long tasks, first chart line, when each step shows, the Pause click's latency).
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import type {} from '../app/testHook';
import { chromiumLaunchOptions } from '../playwright.config.js';
import { rendererFaults } from './page-faults.js';
import { type CompileCpu, compileCpu, TRACE_CATEGORIES, traceEvents } from './trace-summary.js';
import { PHASES } from './train-step.js';

/** What the in-page probe records; every time is performance.now() in the page (ms since navigation). */
interface Probe {
  longtasks: { start: number; duration: number }[];
  line: number | null;
  stepAt: Record<number, number>;
  status: { s: string; t: number }[];
  click: number | null;
  pausing: number | null;
}

declare global {
  interface Window {
    __bench: Probe;
  }
}

/** Installed before any page script: observes long tasks and the DOM (no effect on the page itself). */
function probe(): void {
  const b: Probe = { longtasks: [], line: null, stepAt: {}, status: [], click: null, pausing: null };
  window.__bench = b;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task timing in this browser: the figures stay empty
  }
  const check = () => {
    const now = performance.now();
    if (b.line === null) {
      const curve = document.querySelector('.recharts-line-curve');
      if (curve?.getAttribute('d')) b.line = now;
    }
    const row = document.querySelector('[data-testid=run-row]');
    if (!row) return;
    const s = row.getAttribute('data-status') ?? '';
    if (b.status.at(-1)?.s !== s) b.status.push({ s, t: now });
    if (s === 'pausing' && b.click !== null && b.pausing === null) b.pausing = now;
    const step = Number.parseInt(row.querySelector('[data-testid=run-step]')?.textContent ?? '', 10);
    if (step > 0 && !(step in b.stepAt)) b.stepAt[step] = now;
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['data-status', 'd'],
  });
  document.addEventListener('click', (e) => (b.click ??= e.timeStamp), true);
}

export interface VisitOptions {
  baseUrl: string;
  backend: string;
  steps: number;
  warmup: number;
  budgetS: number;
  viewport: { width: number; height: number };
  /** Write a CPU profile of the main thread over the timed steps here (.cpuprofile). */
  profile?: string;
  /** Record a Chrome trace of the whole visit here (.json) and sum V8's compile work from it. */
  trace?: string;
  log?: (s: string) => void;
}

export interface VisitResult {
  backend: string;
  /** The backend the run worker reports (auto may choose another). */
  used: string | null;
  adapter: Record<string, unknown> | null;
  partial: boolean;
  timedSteps: number;
  /** 1 / mean of the trainer's `time/step` over the timed steps (same measure as node-cpu's). */
  stepsPerS: number;
  /** Timed steps / wall time between the steps showing on the page (includes held-out evaluations). */
  wallStepsPerS: number;
  phaseMs: Record<string, number>;
  /** Run status `creating` until `idle`: worker + runtime + checkpoint + sessions + baseline evaluation. */
  creationMs: number | null;
  firstStepMs: number | null;
  firstLineMs: number | null;
  firstStepShownMs: number | null;
  longTasks: { count: number; totalMs: number; maxMs: number; wallMs: number; fraction: number };
  longTasksVisit: { count: number; totalMs: number; maxMs: number; wallMs: number };
  pauseLatencyMs: number | null;
  /** Minor page faults of the renderer processes per step after the warm-up (Linux; null elsewhere). */
  faultsPerStep?: number | null;
  /** With `trace`: CPU ms V8 spent compiling during the visit, on every thread (see compileCpu). */
  compileCpuMs?: CompileCpu;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function visit(o: VisitOptions): Promise<VisitResult> {
  const log = o.log ?? (() => undefined);
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const ctx = await browser.newContext({ viewport: o.viewport });
    // tsx names functions with a __name helper the page lacks: give the probe one.
    await ctx.addInitScript({ content: `var __name = (f) => f; (${probe.toString()})();` });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    const cdp = await ctx.newCDPSession(page);
    if (o.trace) await browser.startTracing(page, { path: o.trace, categories: TRACE_CATEGORIES });
    const t0 = Date.now();
    await page.goto(`${o.baseUrl}/?backend=${o.backend}&testhook=1`);
    const target = o.warmup + o.steps;
    let profiling = false;
    let faultsAt: { step: number; faults: number | null } | null = null;
    let last = 0;
    let status = '';
    for (;;) {
      const st = await page.evaluate(() => {
        const b = window.__bench;
        return { max: Math.max(0, ...Object.keys(b.stepAt).map(Number)), status: b.status.at(-1)?.s ?? '' };
      });
      if (st.max !== last || st.status !== status) log(`${o.backend}: step ${st.max} (${st.status})`);
      last = st.max;
      status = st.status;
      if (faultsAt === null && last >= o.warmup) faultsAt = { step: last, faults: rendererFaults() };
      if (o.profile && !profiling && last >= o.warmup) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
        profiling = true;
      }
      if (status === 'error') log(`run error: ${await page.getByTestId('run-error').first().textContent()}`);
      if (last >= target || ['error', 'done', 'stopped'].includes(status)) break;
      if (Date.now() - t0 > o.budgetS * 1000) break;
      await sleep(1000);
    }
    const faultsEnd = rendererFaults();
    const faultsPerStep =
      faultsAt?.faults != null && faultsEnd !== null && last > faultsAt.step
        ? (faultsEnd - faultsAt.faults) / (last - faultsAt.step)
        : null;
    const compileCpuMs = o.trace ? compileCpu(traceEvents(await browser.stopTracing())) : undefined;
    if (profiling && o.profile) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(o.profile, JSON.stringify(profile));
    }
    // A real click on Pause (input through the browser), timed from the event to `pausing` in the DOM.
    let pauseLatencyMs: number | null = null;
    const pause = page.getByTestId('run-pause');
    if ((await pause.count()) > 0) {
      const box = await pause.boundingBox();
      if (box) {
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        for (let i = 0; i < 100 && pauseLatencyMs === null; i++) {
          pauseLatencyMs = await page.evaluate(() => {
            const b = window.__bench;
            return b.pausing !== null && b.click !== null ? b.pausing - b.click : null;
          });
          if (pauseLatencyMs === null) await sleep(100);
        }
      }
    }
    const b = await page.evaluate(() => window.__bench);
    const runId = await page.getByTestId('run-row').first().getAttribute('data-run-id');
    const rows = runId ? await page.evaluate((id) => window.__gcrl.rows(id), runId) : [];
    const used = await page.evaluate(() => window.__gcrl.state().runs[0]?.backend ?? null);
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      const a = (await gpu?.requestAdapter()) as { info?: Record<string, unknown> } | null | undefined;
      if (!a?.info) return null;
      const { vendor, architecture, device, description, isFallbackAdapter } = a.info;
      return { vendor, architecture, device, description, isFallbackAdapter };
    });
    return {
      ...summarise(o, b, rows, used, adapter),
      faultsPerStep,
      ...(compileCpuMs ? { compileCpuMs } : {}),
    };
  } finally {
    await browser.close();
  }
}

function summarise(
  o: VisitOptions,
  b: Probe,
  rows: Record<string, number>[],
  used: string | null,
  adapter: Record<string, unknown> | null,
): VisitResult {
  const shown = Object.keys(b.stepAt).map(Number);
  const max = Math.max(0, ...shown);
  const target = o.warmup + o.steps;
  const end = Math.min(max, target);
  // Timed window: after the warm-up, or (a backend too slow for the budget) after step 1.
  const start = end > o.warmup ? o.warmup : Math.min(1, end);
  const timed = rows.filter((r) => r.step > start && r.step <= end && Number.isFinite(r['time/step']));
  const mean = (k: string) => timed.reduce((a, r) => a + (r[k] ?? 0), 0) / Math.max(1, timed.length);
  const phaseMs: Record<string, number> = { step: 1000 * mean('time/step') };
  for (const k of PHASES) phaseMs[k] = 1000 * mean(`time/${k}`);
  // The step counter can skip a number between two looks at the DOM: the window runs from the
  // first step shown at or after `start` to the last shown at or before `end`.
  const fromStep = Math.min(...shown.filter((s) => s >= start));
  const toStep = Math.max(...shown.filter((s) => s <= end));
  const from = b.stepAt[fromStep] ?? Number.NaN;
  const to = b.stepAt[toStep] ?? Number.NaN;
  const inWindow = b.longtasks.filter((t) => t.start + t.duration > from && t.start < to);
  const sum = (ts: { duration: number }[]) => ts.reduce((a, t) => a + t.duration, 0);
  const maxOf = (ts: { duration: number }[]) => Math.max(0, ...ts.map((t) => t.duration));
  const creating = b.status.find((s) => s.s === 'creating')?.t;
  const created = b.status.find((s) => creating !== undefined && s.t > creating && s.s !== 'creating')?.t;
  const first = rows.find((r) => r.step === 1);
  const visitEnd = Math.max(to || 0, ...b.longtasks.map((t) => t.start + t.duration));
  return {
    backend: o.backend,
    used,
    adapter,
    partial: end < target,
    timedSteps: timed.length,
    stepsPerS: 1000 / phaseMs.step,
    wallStepsPerS: (toStep - fromStep) / ((to - from) / 1000),
    phaseMs,
    creationMs: creating !== undefined && created !== undefined ? created - creating : null,
    firstStepMs: first ? 1000 * first['time/step'] : null,
    firstLineMs: b.line,
    firstStepShownMs: b.stepAt[1] ?? null,
    longTasks: {
      count: inWindow.length,
      totalMs: sum(inWindow),
      maxMs: maxOf(inWindow),
      wallMs: to - from,
      fraction: sum(inWindow) / (to - from),
    },
    longTasksVisit: {
      count: b.longtasks.length,
      totalMs: sum(b.longtasks),
      maxMs: maxOf(b.longtasks),
      wallMs: visitEnd,
    },
    pauseLatencyMs: b.pausing !== null && b.click !== null ? b.pausing - b.click : null,
  };
}
