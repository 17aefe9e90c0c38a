// The playground as its users drive it, on WebGPU and on forced WASM: an experiment preset trains
// live (charts move, metrics finite, pause holds the step counter, resume continues), links carry
// the config, exports download valid files, runs survive a reload, bad files are refused.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import type {} from '../../app/testHook';

/** Tiny sizes so SwiftShader (CPU WebGPU) and WASM take a step in seconds. */
const TINY = 'q=4&n=2&pairs=2&cn=2&train=32&evalq=8&evalevery=2';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const state = (page: Page) => page.evaluate(() => window.__gcrl.state());
const stepOf = async (page: Page, i = 0) => (await state(page)).runs[i]?.step ?? -1;

for (const backend of ['web-webgpu', 'web-wasm'] as const) {
  test(`${backend}: the label-balance preset trains live; pause holds the step, resume continues`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await page.goto(`/?backend=${backend}&autostart=0&testhook=1#${TINY}&steps=60`);
    await page.getByTestId('experiment-label-balance').locator('summary').click();
    await page.getByTestId('experiment-launch-label-balance').click();
    const rows = page.getByTestId('run-row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0).getByTestId('run-status')).toHaveText('running', { timeout: 120_000 });
    await expect(rows.nth(1).getByTestId('run-status')).toHaveText('queued');
    await expect.poll(() => stepOf(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(3);

    // Charts draw the run: a line in the generation chart, held-out verdict counts in the matrix.
    // Charts redraw only while on screen (at most twice a second), so bring each into view first.
    const genChart = page.getByTestId('chart-gen-acc');
    await genChart.scrollIntoViewIfNeeded();
    await expect(genChart.locator('path.recharts-curve').first()).toBeVisible({ timeout: 30_000 });
    const matrix = page.getByTestId('confusion-matrix-eval');
    await matrix.scrollIntoViewIfNeeded();
    await expect(matrix).toContainText('response wrong', { timeout: 30_000 });
    const id = (await state(page)).runs[0]?.id as string;
    const logged = await page.evaluate((r) => window.__gcrl.rows(r), id);
    const trained = logged.filter((r) => r.step > 0);
    expect(trained.length).toBeGreaterThanOrEqual(3);
    for (const r of trained) {
      for (const k of ['gen/acc', 'actor/loss', 'actor/kl', 'time/step'])
        expect(Number.isFinite(r[k]), `${k} at step ${r.step}`).toBe(true);
      // Ratios over an empty set (no pair passed the filter yet) are NaN; everything else is finite.
      for (const [k, v] of Object.entries(r))
        if (!/precision|recall|f1|alpha|beta|acc|ratio|rate|predicted/.test(k))
          expect(Number.isFinite(v), `${k} at step ${r.step}`).toBe(true);
    }

    await rows.nth(0).getByTestId('run-pause').click();
    // Pause takes effect after the step in progress (a SwiftShader step can take a minute).
    await expect(rows.nth(0).getByTestId('run-status')).toHaveText(/pausing|paused/);
    await expect(rows.nth(0).getByTestId('run-status')).toHaveText('paused', { timeout: 240_000 });
    const held = await stepOf(page);
    await page.waitForTimeout(3000);
    expect(await stepOf(page)).toBe(held);
    await rows.nth(0).getByTestId('run-start').click(); // "Resume"
    await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThan(held);
    await page.screenshot({ path: `test-results/screenshots/playground-${backend}.png`, fullPage: true });
    await rows.nth(0).getByTestId('run-stop').click();
    await expect(rows.nth(0).getByTestId('run-status')).toHaveText('stopped', { timeout: 240_000 });
    // Queue mode: the next arm starts on its own.
    await expect(rows.nth(1).getByTestId('run-status')).not.toHaveText('queued', { timeout: 120_000 });
    expect(errors).toEqual([]);
  });
}

test('a shared link reproduces the config; a malformed one shows what was wrong and uses defaults', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/?autostart=0&testhook=1#mode=grl&seed=7&lr=0.0001&input=random&r_cr=0.6&r_wr=0.8');
  const draft = (await state(page)).draft;
  expect([draft.mode, draft.seed, draft.grpo.lr, draft.critique.input]).toEqual(['grl', 7, 0.0001, 'random']);
  expect(draft.critique.reward.correctRight).toBe(0.6);
  await expect(page.getByTestId('cfg-mode')).toHaveValue('grl');
  await expect(page.getByTestId('url-errors')).toHaveCount(0);
  // Editing a control rewrites the link.
  const seed = page.getByTestId('cfg-seed');
  await seed.fill('11');
  await seed.press('Enter');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('seed=11');

  await page.goto('/?autostart=0&testhook=1#lr=abc&mode=evil&%E0%A4%A&digits=2.5&bogus=1');
  await expect(page.getByTestId('url-errors')).toBeVisible();
  const text = await page.getByTestId('url-errors').textContent();
  for (const k of ['lr', 'mode', 'digits', 'bogus']) expect(text).toContain(`'${k}'`);
  const d2 = (await state(page)).draft;
  expect([d2.mode, d2.grpo.lr, d2.task.digits]).toEqual(['gcrl', 3e-5, 2]);
  await expect(page.getByTestId('new-run-start')).toBeEnabled();
  await page.screenshot({ path: 'test-results/screenshots/bad-link.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('exports download valid CSV and JSON, a reload keeps the run, a bad checkpoint file is refused', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(`/?backend=web-wasm&autostart=0&testhook=1#${TINY}&steps=5`);
  await page.getByTestId('new-run').click();
  const row = page.getByTestId('run-row').first();
  for (const n of [1, 2]) {
    await row.getByTestId('run-step-once').click();
    await expect(row.getByTestId('run-step')).toHaveText(`${n} / 5`, { timeout: 120_000 });
    // After one step the batch accuracy is a single point: it shows (recharts draws a lone point as a dot).
    if (n === 1)
      await expect(page.locator('[data-testid=chart-gen-acc] .recharts-dot').first()).toBeVisible();
  }
  const csvDl = page.waitForEvent('download');
  await row.getByTestId('run-export-csv').click();
  const csv = readFileSync((await (await csvDl).path()) as string, 'utf8')
    .trim()
    .split('\n');
  const header = csv[0]?.split(',') ?? [];
  expect(header[0]).toBe('step');
  expect(header).toEqual(
    expect.arrayContaining(['gen/acc', 'actor/loss', 'eval/gen/acc', 'eval/critic/precision']),
  );
  expect(csv.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([0, 1, 2]);
  const jsonDl = page.waitForEvent('download');
  await row.getByTestId('run-export-json').click();
  const doc = JSON.parse(readFileSync((await (await jsonDl).path()) as string, 'utf8'));
  expect(doc.config.rollout.questions).toBe(4);
  expect(doc.rows.map((r: { step: number }) => r.step)).toEqual([0, 1, 2]);

  // Weights saved in the browser, then a reload: the run and the checkpoint are still there.
  await row.getByTestId('run-save-checkpoint').click();
  await expect
    .poll(() => page.evaluate(() => window.__gcrl.checkpoints()), { timeout: 60_000 })
    .toHaveLength(1);
  await page.getByTestId('tab-model').click();
  await expect(page.getByTestId('checkpoint-item')).toHaveCount(1); // the list follows without a reload
  await page.waitForTimeout(1500); // the run store saves a second after a change
  await page.reload();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-row').first().getByTestId('run-step')).toHaveText('2 / 5');
  await expect.poll(async () => (await state(page)).runs[0]?.rows).toBe(3);

  await page.getByTestId('tab-model').click();
  await expect(page.getByTestId('checkpoint-item')).toHaveCount(1);
  await page.getByTestId('checkpoint-import').setInputFiles({
    name: 'broken.safetensors',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('this is not a checkpoint'),
  });
  await expect(page.getByTestId('checkpoint-error')).toContainText('broken.safetensors was not imported');
  await expect(page.getByTestId('checkpoint-item')).toHaveCount(1);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screenshots/checkpoints.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('runs train side by side: the reward-shaping preset in parallel', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/?backend=web-wasm&autostart=0&testhook=1#${TINY}&steps=4`);
  await page.getByTestId('schedule').selectOption('parallel');
  await page.getByTestId('experiment-reward-shaping').locator('summary').click();
  await page.getByTestId('experiment-launch-reward-shaping').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(3);
  // Every arm trains at once (none waits in a queue) and all reach their step count.
  await expect
    .poll(async () => (await state(page)).runs.filter((r) => r.status === 'running').length, {
      timeout: 120_000,
    })
    .toBeGreaterThanOrEqual(2);
  for (let i = 0; i < 3; i++)
    await expect(rows.nth(i).getByTestId('run-status')).toHaveText('done', { timeout: 180_000 });
  await expect(page.getByTestId('run-legend')).toContainText('catch incorrect (Eq. 5)');
  await expect(page.getByTestId('experiment-live-reward-shaping').locator('tbody tr')).toHaveCount(3);
  await page.getByTestId('tab-samples').click();
  await expect(page.getByTestId('samples-responses').locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/side-by-side.png', fullPage: true });
  expect(errors).toEqual([]);
});
