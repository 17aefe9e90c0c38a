// The page's "verl recipe" button: the form's settings download as one .tar holding the same recipe the CLI
// writes (the Python sources byte for byte, the yaml with the form's values), with no console errors.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { hookUrl, TINY, watchErrors } from './page';

/** ustar entries: path → content (regular files only). */
function untar(bytes: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (let at = 0; at + 512 <= bytes.length; ) {
    const h = bytes.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = str(345, 155) ? `${str(345, 155)}/${str(0, 100)}` : str(0, 100);
    const size = Number.parseInt(str(124, 12), 8);
    out.set(name, bytes.subarray(at + 512, at + 512 + size).toString('utf8'));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

test('the verl recipe button downloads the current settings as a recipe tar', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(hookUrl(`${TINY}&q=8`));
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-verl-recipe').click();
  const download = await dl;
  expect(download.suggestedFilename()).toBe('gcrl-verl-gcrl.tar');
  const files = untar(readFileSync((await download.path()) as string));
  const root = 'gcrl-verl-gcrl';
  for (const f of [
    'README.md',
    'REQUIRED_VERL.txt',
    'config/gcrl_trainer.yaml',
    'run_gcrl.sh',
    'main_gcrl.py',
    'gcrl_ray_trainer.py',
    'reward_gcrl.py',
    'tests/reward_golden.json',
    'data/train.jsonl',
  ])
    expect(files.has(`${root}/${f}`), f).toBe(true);
  expect(files.get(`${root}/reward_gcrl.py`)).toBe(readFileSync('recipes/verl/reward_gcrl.py', 'utf8'));
  const yaml = files.get(`${root}/config/gcrl_trainer.yaml`) as string;
  expect(yaml).toContain('train_batch_size: 8\n'); // q=8 from the link
  expect(yaml).toContain("'n': 2\n");
  expect(files.get(`${root}/data/train.jsonl`)?.trim().split('\n')).toHaveLength(32); // train=32
  await expect(page.getByText(/Downloaded gcrl-verl-gcrl\.tar/)).toBeVisible();
  expect(errors).toEqual([]);
});
