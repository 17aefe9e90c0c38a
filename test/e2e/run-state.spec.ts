// Runs whose state is honest (WASM, tiny configs): a link pasted while rows stream always wins;
// "Save weights" names the step whose weights it saves; stop during creation ends as stopped; a
// reload marks live runs interrupted and keeps stopped and never-started ones; rows are saved the
// moment the page is hidden or reloaded.
import { expect, type Page, test } from '@playwright/test';
import { unpackCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { hookUrl, state, TINY, watchErrors } from './page';

const rowsOf = async (page: Page, i = 0) => (await state(page)).runs[i]?.rows ?? 0;
const statusOf = (page: Page, i = 0) => page.getByTestId('run-row').nth(i).getByTestId('run-status');

test('a link pasted while a run streams rows always wins', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(hookUrl(`${TINY}&evalevery=1&steps=400`));
  await page.getByTestId('new-run-start').click();
  await expect(statusOf(page)).toHaveText('running', { timeout: 120_000 });
  await expect.poll(() => rowsOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  const rowsBefore = await rowsOf(page);
  for (let i = 0; i < 12; i++) {
    const seed = 100 + i;
    // As if typed into the address bar: same page, new hash (a hashchange, no reload).
    await page.evaluate((h) => {
      location.hash = h;
    }, `${TINY}&seed=${seed}&lr=0.0002&steps=50`);
    await page.waitForTimeout(50 + ((i * 97) % 400)); // rows keep arriving meanwhile
    await expect.poll(async () => (await state(page)).draft.seed).toBe(seed);
    await page.waitForTimeout(300);
    const hash = await page.evaluate(() => location.hash);
    expect(hash, `try ${i}`).toContain(`seed=${seed}`);
    expect(hash).toContain('lr=0.0002');
    await expect(page.getByTestId('cfg-seed')).toHaveValue(String(seed));
  }
  expect(await rowsOf(page)).toBeGreaterThan(rowsBefore); // rows did stream throughout
  // The run keeps the config it started with.
  expect((await state(page)).runs[0]?.config.seed).toBe(1);
  expect(errors).toEqual([]);
});

const checkpointNames = (page: Page) => page.evaluate(() => window.__gcrl.checkpoints());
async function savedWeights(page: Page, name: string) {
  const b64 = await page.evaluate((n) => window.__gcrl.checkpointBase64(n), name);
  expect(b64, name).toBeDefined();
  return unpackCheckpoint(Buffer.from(b64 as string, 'base64'));
}
/** Clicks "Save weights" on run `i` and returns the new checkpoint's name. */
async function saveWeights(page: Page, i: number): Promise<string> {
  const before = await checkpointNames(page);
  await page.getByTestId('run-row').nth(i).getByTestId('run-save-checkpoint').click();
  await expect
    .poll(async () => (await checkpointNames(page)).length, { timeout: 60_000 })
    .toBe(before.length + 1);
  return (await checkpointNames(page)).find((n) => !before.includes(n)) as string;
}
function maxDiff(a: Awaited<ReturnType<typeof savedWeights>>, b: Awaited<ReturnType<typeof savedWeights>>) {
  let worst = 0;
  for (const [k, t] of a.weights) {
    const u = b.weights.get(k);
    expect(u, k).toBeDefined();
    for (let i = 0; i < t.data.length; i++)
      worst = Math.max(worst, Math.abs(Number(t.data[i]) - Number(u?.data[i])));
  }
  return worst;
}

test('"Save weights" mid-run names the step whose weights it saves', async ({ page }) => {
  const errors = watchErrors(page);
  // A large learning rate, so consecutive steps' weights differ far beyond float noise.
  await page.goto(hookUrl(`${TINY}&evalevery=0&lr=0.001&steps=400`));
  await page.getByTestId('new-run-start').click();
  await expect
    .poll(async () => (await state(page)).runs[0]?.step ?? 0, { timeout: 120_000 })
    .toBeGreaterThanOrEqual(2);
  const name = await saveWeights(page, 0); // while a step is in flight
  const step = Number(/-step(\d+)$/.exec(name)?.[1]);
  expect(step).toBeGreaterThanOrEqual(2);
  const saved = await savedWeights(page, name);
  expect(saved.provenance.steps).toBe(step);
  expect((saved.provenance.data as { name: string }).name).toBe(name);
  await page.getByTestId('run-row').first().getByTestId('run-stop').click();
  await expect(statusOf(page)).toHaveText('stopped', { timeout: 120_000 });

  // The same run replayed one step at a time: its weights after `step` steps are the saved ones,
  // and after `step - 1` steps they are not (the tolerance tells neighbouring steps apart).
  await page.getByTestId('run-row').first().getByTestId('run-duplicate').click();
  const copy = page.getByTestId('run-row').nth(1);
  let previous = '';
  for (let s = 1; s <= step; s++) {
    if (s === step) previous = await saveWeights(page, 1);
    await copy.getByTestId('run-step-once').click();
    await expect(copy.getByTestId('run-step')).toHaveText(`${s} / 400`, { timeout: 120_000 });
    await expect(statusOf(page, 1)).toHaveText('paused');
  }
  expect(previous).toMatch(new RegExp(`-step${step - 1}$`));
  const replayName = await saveWeights(page, 1);
  expect(replayName).toMatch(new RegExp(`-step${step}$`));
  expect(maxDiff(saved, await savedWeights(page, replayName))).toBeLessThan(1e-5);
  expect(maxDiff(saved, await savedWeights(page, previous))).toBeGreaterThan(1e-4);
  expect(errors).toEqual([]);
});

/**
 * As if the user switched tabs: the page reports itself hidden, then lists what IndexedDB holds.
 * The read is queued behind any write the hide started, so it sees that write, not a later one.
 */
const hideAndRead = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    Reflect.deleteProperty(document, 'visibilityState');
    return window.__gcrl.storedRuns();
  });

test('stop during creation ends as stopped; rows are saved on hide; a reload tells interrupted from stopped and never-started', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(hookUrl(`${TINY}&steps=50`));
  const rows = page.getByTestId('run-row');

  // 0: stopped while its worker was still loading the base checkpoint.
  await page.getByTestId('new-run-start').click();
  await expect(statusOf(page, 0)).toHaveText('creating');
  await rows.nth(0).getByTestId('run-stop').click();
  await expect(statusOf(page, 0)).toHaveText('stopped');
  // Hidden: saved at once, not a second later.
  expect((await hideAndRead(page)).map((r) => r.status)).toEqual(['stopped']);
  await page.waitForTimeout(1500);
  await expect(statusOf(page, 0)).toHaveText('stopped'); // no late "worker terminated" error
  await expect(rows.nth(0).getByTestId('run-error')).toHaveCount(0);

  // 1: never started.
  await page.getByTestId('new-run').click();
  await expect(statusOf(page, 1)).toHaveText('idle');

  // 2: one step, then the page reloads at once (well within the 1 s save delay).
  await page.getByTestId('new-run').click();
  await rows.nth(2).getByTestId('run-step-once').click();
  await expect(rows.nth(2).getByTestId('run-step')).toHaveText('1 / 50', { timeout: 120_000 });
  await expect(statusOf(page, 2)).toHaveText('paused');
  const before = (await state(page)).runs.map((r) => [r.id, r.rows]);
  await page.reload();

  await expect(rows).toHaveCount(3);
  await expect(statusOf(page, 0)).toHaveText('stopped');
  await expect(statusOf(page, 1)).toHaveText('idle');
  await expect(statusOf(page, 2)).toHaveText('interrupted');
  await expect(statusOf(page, 2)).toHaveAttribute('title', /Duplicate/);
  await expect(rows.nth(2).getByTestId('run-step')).toHaveText('1 / 50');
  expect((await state(page)).runs.map((r) => [r.id, r.rows])).toEqual(before); // no row lost
  expect(before[2]?.[1]).toBe(1); // step 1 (the baseline row comes with the first evaluation, at step 10)
  // Interrupted and stopped runs cannot continue; the never-started one can start.
  await expect(rows.nth(2).getByTestId('run-start')).toBeDisabled();
  await expect(rows.nth(2).getByTestId('run-save-checkpoint')).toBeDisabled();
  await expect(rows.nth(0).getByTestId('run-start')).toBeDisabled();
  await expect(rows.nth(1).getByTestId('run-start')).toBeEnabled();
  expect(errors).toEqual([]);
});
