// Playwright e2e config: system Chromium (Playwright cannot download browsers here) against the Vite preview build.
import { defineConfig } from '@playwright/test';

/** Debian's Chromium with WebGPU enabled (SwiftShader adapter here); shared with the benchmark. */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--enable-unsafe-webgpu',
  ],
};

/** E2E_PORT picks another port, so runs sharing a machine do not reuse (and lose) each other's server. */
const port = Number(process.env.E2E_PORT ?? 5173);
const baseURL = `http://localhost:${port}`; // localhost (not an IP) so the page is a secure context for WebGPU

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 300_000,
  workers: 1,
  reporter: 'list',
  use: {
    baseURL,
    headless: true,
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: chromiumLaunchOptions,
      },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: baseURL,
    reuseExistingServer: !process.env.CI,
  },
});
