// The page loads a shipped base checkpoint into the engine worker and shows sampled responses
// and critiques, on WASM and on WebGPU; a corrupt checkpoint file gets a clear error.
import { expect, test } from '@playwright/test';

for (const backend of ['web-wasm', 'web-webgpu'] as const) {
  test(`${backend}: load the weak checkpoint and sample responses and critiques`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/?backend=${backend}&autostart=0`);
    await page.getByTestId('tab-model').click();
    await expect(page.getByTestId('backend-badge')).toContainText(backend);
    await page.getByTestId('model-select').selectOption('weak');
    await page.getByTestId('model-load').click();
    await expect(page.getByTestId('model-info')).toContainText('parameters', { timeout: 60_000 });
    await page.getByTestId('model-sample').click();
    const rows = page.getByTestId('model-samples').locator('tbody tr');
    await expect(rows).toHaveCount(8, { timeout: 120_000 });
    await expect(rows.first().locator('td').first()).toHaveText(/^\d+\+\d+=$/);
    await expect(rows.first().locator('td').nth(4)).toHaveText(/^(correct|wrong|none) [✓✗]$/);
    await page.screenshot({ path: `test-results/screenshots/model-${backend}.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
}

test('a corrupt checkpoint file is rejected with a clear error', async ({ page }) => {
  await page.route('**/models/weak/model.safetensors', (route) =>
    route.fulfill({ status: 200, body: 'garbage' }),
  );
  await page.goto('/?backend=web-wasm&autostart=0');
  await page.getByTestId('tab-model').click();
  await page.getByTestId('model-select').selectOption('weak');
  await page.getByTestId('model-load').click();
  await expect(page.getByTestId('model-error')).toContainText(/safetensors|too short|header/i, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('model-sample')).toBeDisabled();
});
