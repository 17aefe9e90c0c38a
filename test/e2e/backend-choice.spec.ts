// `auto` runs on the faster backend and says why: here the only WebGPU adapter is SwiftShader (a
// software fallback), so the page and its run workers use WASM; a forced backend is kept. The chart
// smoothing control is remembered.
import { expect, test } from '@playwright/test';

test('auto picks WASM over a software WebGPU adapter and says why; runs use it too', async ({ page }) => {
  await page.goto('/');
  const choice = page.getByTestId('backend-choice');
  await expect(choice).toContainText('auto: WASM, because', { timeout: 60_000 });
  await expect(choice).toContainText(/software/i);
  await expect(page.getByTestId('backend-badge')).toContainText('web-wasm', { timeout: 120_000 });
  // The first-visit demo run's worker runs on the same backend.
  await expect(page.getByTestId('run-row').first()).toContainText('web-wasm', { timeout: 180_000 });
});

test('a backend chosen in the menu is kept, with that as the reason', async ({ page }) => {
  await page.goto('/?backend=web-webgpu&autostart=0');
  await expect(page.getByTestId('backend-choice')).toHaveText('WebGPU chosen in the Backend menu', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('backend-badge')).toContainText('web-webgpu', { timeout: 120_000 });
});

test('the smoothing control changes the weight and is remembered', async ({ page }) => {
  await page.goto('/?backend=web-wasm&autostart=0');
  await expect(page.getByTestId('chart-smoothing-value')).toHaveText('0.60');
  await page.getByTestId('chart-smoothing').fill('0.9');
  await expect(page.getByTestId('chart-smoothing-value')).toHaveText('0.90');
  await page.reload();
  await expect(page.getByTestId('chart-smoothing-value')).toHaveText('0.90');
});
