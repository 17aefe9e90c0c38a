// Smoke test: the production build loads, is cross-origin isolated, shows the backend badge, logs no errors.
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
  await page.screenshot({ path: 'test-results/screenshots/home.png', fullPage: true });
  expect(errors).toEqual([]);
});
