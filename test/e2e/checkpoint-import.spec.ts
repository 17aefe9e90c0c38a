// The page's checkpoint import checks the file against the model (a transposed tensor and NaN
// weights are refused, naming the tensor) and asks before replacing a saved checkpoint of the same
// name: "Keep the saved one" leaves it as it was, "Replace" stores the new file.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { type Checkpoint, packCheckpoint, parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import type { HostTensor } from '../../src/engine/dtype.js';

const weak = (): Checkpoint =>
  parseCheckpoint(
    readFileSync('public/models/weak/config.json', 'utf8'),
    new Uint8Array(readFileSync('public/models/weak/model.safetensors')),
  );
const file = (name: string, ck: Checkpoint) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(packCheckpoint(ck)),
});
const withSteps = (steps: number): Checkpoint => {
  const ck = weak();
  return { ...ck, provenance: { ...ck.provenance, steps } };
};

test('checkpoint import: hostile files refused, a same-name import asks first', async ({ page }) => {
  await page.goto('/?autostart=0');
  await page.getByTestId('tab-model').click();
  const input = page.getByTestId('checkpoint-import');
  const items = page.getByTestId('checkpoint-item');

  const transposed = weak();
  const w = transposed.weights.get('h1.mlp.w1') as HostTensor;
  transposed.weights.set('h1.mlp.w1', { ...w, shape: [256, 64] });
  await input.setInputFiles(file('t.safetensors', transposed));
  await expect(page.getByTestId('checkpoint-error')).toContainText(
    'tensor h1.mlp.w1 has shape [256, 64], the model needs [64, 256] (transposed)',
  );
  const nan = weak();
  const v = nan.weights.get('wte') as HostTensor;
  nan.weights.set('wte', { ...v, data: new Float32Array(v.data.length).fill(Number.NaN) });
  await input.setInputFiles(file('n.safetensors', nan));
  await expect(page.getByTestId('checkpoint-error')).toContainText('tensor wte has 1536 non-finite values');
  await expect(items).toHaveCount(0);

  await input.setInputFiles(file('mine.safetensors', withSteps(5)));
  await expect(page.getByTestId('checkpoint-info')).toHaveText('Imported “mine”.');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('step 5');

  await input.setInputFiles(file('mine.safetensors', withSteps(7)));
  const dialog = page.getByTestId('checkpoint-replace-confirm');
  await expect(dialog).toContainText('A checkpoint named “mine” is already saved here');
  await page.getByTestId('checkpoint-replace-no').click();
  await expect(dialog).toHaveCount(0);
  await expect(items.first()).toContainText('step 5'); // the saved one is kept
  await page.reload();
  await page.getByTestId('tab-model').click();
  await expect(items.first()).toContainText('step 5');

  await input.setInputFiles(file('mine.safetensors', withSteps(7)));
  await page.getByTestId('checkpoint-replace-yes').click();
  await expect(page.getByTestId('checkpoint-info')).toHaveText('Replaced “mine” with the imported file.');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('step 7');
});
