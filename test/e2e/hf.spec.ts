// transformers.js in Chromium (WASM, in the HF worker, under the page's CSP): the shipped `weak`
// checkpoint loads through the page's export path, greedy text equals the engine's greedy decode
// on held-out prompts, the .tar export downloads and loads back, and the critic probe reports.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { loadCheckpointDir } from '../../src/checkpoint/node-fs.js';
import { Runtime } from '../../src/engine/runtime.js';
import { generationPrompt } from '../../src/lm/formats.js';
import { makeSplits } from '../../src/lm/tasks.js';
import { decode, encode, VOCAB } from '../../src/lm/tokenizer.js';
import { checkpointTask, policyFromCheckpoint } from '../../src/model/io.js';

// Prompts compared in the browser (the Node tests cover all 256; each here is one UI round trip).
const N = Number(process.env.HF_E2E_PROMPTS ?? 64);

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('request', (r) => {
    if (
      !r.url().startsWith('http://localhost:5173/') &&
      !r.url().startsWith('blob:') &&
      !r.url().startsWith('data:')
    )
      problems.push(`off-site request: ${r.url()}`);
  });
  return problems;
}

async function openAndLoad(page: Page): Promise<void> {
  await page.goto('/?backend=web-wasm&autostart=0');
  await page.getByTestId('tab-model').click();
  await page.getByTestId('hf-source').selectOption('shipped:weak');
  await page.getByTestId('hf-load').click();
  await expect(page.getByTestId('hf-model')).toContainText('gpt2', { timeout: 120_000 });
}

async function generate(page: Page, prompt: string, maxNew: number): Promise<string> {
  await page.getByTestId('hf-prompt').fill(prompt);
  await page.getByTestId('hf-max-new').fill(String(maxNew));
  const out = page.getByTestId('hf-output');
  const before = Number(await out.getAttribute('data-done'));
  await page.getByTestId('hf-generate').click();
  await expect(out).toHaveAttribute('data-done', String(before + 1), { timeout: 60_000 });
  return (await out.textContent()) ?? '';
}

test('web-wasm: transformers.js greedy equals the engine on held-out prompts, under the CSP', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const problems = watch(page);
  const ck = await loadCheckpointDir('public/models/weak');
  const task = checkpointTask(ck);
  const prompts = makeSplits({ ...task, seed: task.splitSeed })
    .heldOut.slice(0, N)
    .map(generationPrompt);
  const rt = await Runtime.create('node-cpu');
  const policy = policyFromCheckpoint(rt, ck);
  const ours = await policy.generate(
    prompts.map((p) => encode(p)),
    { eos: VOCAB.EOS, pad: VOCAB.PAD, maxNew: 8, temperature: 0 },
  );
  policy.dispose();

  await openAndLoad(page);
  const differ: string[] = [];
  for (const [i, p] of prompts.entries()) {
    const text = await generate(page, p, 8);
    const want = decode(ours[i]?.tokens ?? []);
    if (text !== want) differ.push(`${p}: page ${JSON.stringify(text)} vs engine ${JSON.stringify(want)}`);
  }
  expect(differ).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/hf-try.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('export downloads a .tar that loads back; the critic probe shows α, β and the prediction', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const problems = watch(page);
  await openAndLoad(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('hf-export').click(),
  ]);
  expect(download.suggestedFilename()).toBe('weak.tar');
  await expect(page.getByTestId('hf-exported')).toContainText('onnx/model.onnx');
  const tarPath = join(mkdtempSync(join(tmpdir(), 'gcrl-hf-e2e-')), 'weak.tar');
  await download.saveAs(tarPath);
  expect(readFileSync(tarPath).length).toBeGreaterThan(800_000);

  await page.getByTestId('hf-load-tar').setInputFiles(tarPath);
  await expect(page.getByTestId('hf-model')).toContainText('Loaded weak', { timeout: 120_000 });
  await page.getByTestId('hf-probe-questions').fill('16');
  await page.getByTestId('hf-probe-ratio').fill('0.1');
  await page.getByTestId('hf-probe-run').click();
  await expect(page.getByTestId('hf-probe-result')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('hf-probe-alpha')).toHaveText(/^\d\.\d{3}$/);
  await expect(page.getByTestId('hf-probe-predicted')).toContainText('toward “wrong”');
  const cells = await page.getByTestId('hf-probe-confusion').locator('tbody td').allTextContents();
  expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBe(32);
  await page.screenshot({ path: 'test-results/screenshots/hf-probe.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('a broken folder is refused with what is missing', async ({ page }) => {
  const problems = watch(page);
  await page.goto('/?backend=web-wasm&autostart=0');
  await page.getByTestId('tab-model').click();
  const dir = join(mkdtempSync(join(tmpdir(), 'gcrl-hf-e2e-')), 'broken');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), '{"model_type":"gpt2"}');
  await page.getByTestId('hf-load-folder').setInputFiles(dir);
  await expect(page.getByTestId('hf-error')).toContainText('missing tokenizer.json', { timeout: 60_000 });
  await expect(page.getByTestId('hf-error')).toContainText('lacks n_layer, n_head');
  expect(problems).toEqual([]);
});
