// Helpers for engine e2e tests: open the page on a backend, run graphs in its worker, compare.
import { expect, type Page } from '@playwright/test';
// window.__gcrl is typed by app/testHook.ts.
import type {} from '../../app/testHook';
import type { HostTensor } from '../../src/engine/dtype.js';
import type { Graph } from '../../src/engine/graph.js';
import type { Capabilities } from '../../src/engine/runtime.js';

type JsonTensor = { dtype: HostTensor['dtype']; shape: number[]; data: number[] };

export async function openEngine(page: Page, backend: 'web-wasm' | 'web-webgpu'): Promise<Capabilities> {
  await page.goto(`/?backend=${backend}&autostart=0&testhook=1`);
  return page.evaluate(() => window.__gcrl.engine.ready());
}

const toJson = (t: HostTensor): JsonTensor => ({
  dtype: t.dtype,
  shape: [...t.shape],
  data: Array.from(t.data, Number),
});

export async function runInPage(
  page: Page,
  graph: Graph,
  feeds: Record<string, HostTensor>,
  logPlacement = false,
) {
  const model = Buffer.from(graph.toOnnx()).toString('base64');
  const jsonFeeds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toJson(v)]));
  return page.evaluate(([m, f, l]) => window.__gcrl.engine.run(m, f, l), [
    model,
    jsonFeeds,
    logPlacement,
  ] as const);
}

/** Largest |a - b| / (atol + rtol·|b|) over all elements: ≤ 1 means within tolerance. */
export function worstError(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(Number(a[i]) - Number(b[i])) / (atol + rtol * Math.abs(Number(b[i])));
    worst = Number.isNaN(e) ? Number.POSITIVE_INFINITY : Math.max(worst, e);
  }
  return worst;
}
