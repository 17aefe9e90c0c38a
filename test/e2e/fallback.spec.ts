// Without WebGPU (Chromium started without --enable-unsafe-webgpu has no adapter here) the engine
// falls back to WASM on its own and the page says why.
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../../playwright.config.js';

const args = chromiumLaunchOptions.args.filter((a) => a !== '--enable-unsafe-webgpu');
test.use({ launchOptions: { ...chromiumLaunchOptions, args } });

test('auto backend falls back from WebGPU to WASM with the reason shown', async ({ page }) => {
  await page.goto('/?autostart=0&testhook=1');
  const caps = await page.evaluate(() => window.__gcrl.engine.ready());
  expect(caps.requested).toBe('auto');
  expect(caps.backend).toBe('web-wasm');
  expect(caps.fallbackReason).toMatch(/WebGPU/);
  await expect(page.getByTestId('backend-badge')).toContainText('web-wasm');
  await expect(page.getByTestId('backend-fallback-reason')).toContainText('no WebGPU adapter');
  // The fallback backend computes: a short toy run lowers the loss.
  const res = await page.evaluate(() => window.__gcrl.engine.trainToy({ steps: 30, seed: 3 }));
  expect(res.losses.at(-1)).toBeLessThan(res.losses[0] as number);
});
