// The Content-Security-Policy holds while the page does everything it does: the preview serves it
// as a header (workers with their own), index.html carries it as a meta tag, a run trains on WASM
// and on WebGPU and a chart exports as PNG, with no violation and no console error; no test hook.
import { expect, test } from '@playwright/test';
import { cspViolations, TINY, watchCsp, watchErrors } from './page';

const directives = (policy: string) =>
  Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k, v.join(' ')]),
  );

test('the page and its workers are served under the policy', async ({ page, request }) => {
  const res = await page.goto('/?autostart=0');
  const header = directives(res?.headers()['content-security-policy'] ?? '');
  expect(header).toMatchObject({
    'default-src': "'self'",
    'script-src': "'self' 'wasm-unsafe-eval'",
    'connect-src': "'self'",
    'style-src': "'self'",
    'img-src': "'self' data: blob:",
    'object-src': "'none'",
    'base-uri': "'self'",
    'form-action': "'none'",
    'frame-ancestors': "'none'",
  });
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const { 'frame-ancestors': _headerOnly, ...rest } = header;
  expect(directives(meta ?? '')).toEqual(rest); // the same policy, less what a meta tag cannot carry
  // Worker entry scripts: the page's policy, no 'unsafe-eval' (ONNX graphs are written without generated code).
  const html = await (await request.get('/')).text();
  const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1] as string;
  const worker = /assets\/run\.worker-[\w-]+\.js/.exec(await (await request.get(entry)).text())?.[0];
  expect(worker).toBeDefined();
  const w = directives((await request.get(`/${worker}`)).headers()['content-security-policy'] ?? '');
  expect(w).toEqual(header);
  expect(await page.evaluate(() => '__gcrl' in window)).toBe(false); // no test hook unless asked for
});

for (const backend of ['web-wasm', 'web-webgpu'] as const) {
  test(`${backend}: a run trains and a chart exports under the policy, with no violation`, async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await watchCsp(page);
    await page.goto(`/?backend=${backend}&autostart=0#${TINY}&evalevery=1&steps=2`);
    await expect(page.getByTestId('backend-badge')).toContainText(backend, { timeout: 120_000 });
    await page.getByTestId('new-run-start').click();
    const row = page.getByTestId('run-row').first();
    await expect(row.getByTestId('run-status')).toHaveText('done', { timeout: 240_000 });
    await expect(row.getByTestId('run-error')).toHaveCount(0);
    await page.getByTestId('chart-gen-acc').scrollIntoViewIfNeeded(); // charts off screen do not redraw
    await expect(page.getByTestId('chart-gen-acc-export-png')).toBeEnabled({ timeout: 60_000 }); // has data
    const png = page.waitForEvent('download');
    await page.getByTestId('chart-gen-acc-export-png').click(); // an SVG blob: drawn into a canvas
    expect((await png).suggestedFilename()).toMatch(/\.png$/);
    expect(await cspViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
}
