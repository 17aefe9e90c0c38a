// Smoke test: the production build loads, is cross-origin isolated, shows the backend badge, starts
// the first-visit demo run and logs no errors.
import { expect, test } from '@playwright/test';

test('home page loads cleanly', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('/');
  await expect(page).toHaveTitle('GC-RL Playground');
  await expect(page.getByRole('heading', { name: 'GC-RL Playground' })).toBeVisible();
  await expect(page.getByTestId('backend-badge')).toBeVisible();
  await expect(page.getByTestId('backend-badge')).not.toHaveText('detecting…');

  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // The test hook is there only when asked for (?testhook=1), never by default.
  expect(await page.evaluate(() => '__gcrl' in window)).toBe(false);
  // A first visit starts a demo run on the default preset.
  const demo = page.getByTestId('run-row').first();
  await expect(demo).toContainText('demo');
  await expect(demo.getByTestId('run-status')).toHaveText(/creating|idle|running/);
  await page.screenshot({ path: 'test-results/screenshots/home.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('engine check trains from the keyboard and reports a falling loss', async ({ page }) => {
  await page.goto('/?backend=web-wasm&autostart=0');
  await page.getByTestId('tab-model').click();
  await expect(page.getByTestId('backend-badge')).toContainText('web-wasm');
  const button = page.getByTestId('engine-check-run');
  await button.focus();
  await page.keyboard.press('Enter');
  const status = page.getByTestId('engine-check-status');
  await expect(status).toContainText('done', { timeout: 120_000 });
  const [, first, last] = /loss ([\d.]+) → ([\d.]+)/.exec((await status.textContent()) ?? '') ?? [];
  expect(Number(first)).toBeGreaterThan(2);
  expect(Number(last)).toBeLessThan(0.1);
  await page.screenshot({ path: 'test-results/screenshots/engine-check.png', fullPage: true });
});
