// "verl recipe": the current settings as a verl recipe folder, downloaded as one .tar (the same files
// `gcrl export --recipe verl` writes; the Python sources and golden cases are loaded on first click).
import { useState } from 'react';
import { configErrors } from '../../src/rl/config.js';
import { useStore } from '../state/store';
import { download } from './download';

/** recipes/verl/** and the golden reward cases, as lazily loaded text chunks. */
const PYTHON = import.meta.glob('/recipes/verl/**/*.py', { query: '?raw', import: 'default' });
const GOLDEN = import.meta.glob('/test/fixtures/verl/reward-golden.json', {
  query: '?raw',
  import: 'default',
});

async function templates(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [path, load] of Object.entries(PYTHON))
    out[path.replace('/recipes/verl/', '')] = (await load()) as string;
  for (const [path, load] of Object.entries(GOLDEN)) out[path.slice(1)] = (await load()) as string;
  return out;
}

export function VerlExportButton() {
  const draft = useStore((s) => s.draft);
  const setNotice = useStore((s) => s.setNotice);
  const [busy, setBusy] = useState(false);
  const invalid = configErrors(draft).length > 0;

  const exportRecipe = async () => {
    setBusy(true);
    try {
      const [{ buildVerlRecipe }, { tar }] = await Promise.all([
        import('../../src/recipe/verl/build.js'),
        import('../../src/recipe/tar.js'),
      ]);
      const folder = `gcrl-verl-${draft.mode}`;
      const files = buildVerlRecipe({ config: draft, source: 'the playground page' }, await templates());
      const bytes = tar(
        files.map((f) => ({ ...f, path: `${folder}/${f.path}` })),
        Date.now() / 1000,
      );
      download(`${folder}.tar`, bytes, 'application/x-tar');
      setNotice({
        kind: 'info',
        text: `Downloaded ${folder}.tar: a verl recipe for these settings (see its README.md).`,
      });
    } catch (e) {
      setNotice({ kind: 'error', text: `No verl recipe: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <button
      type="button"
      onClick={() => void exportRecipe()}
      disabled={busy || invalid}
      title="Export as verl recipe: these settings as a verl recipe (config yaml, trainer, rewards, launcher) for a real model on a Ray cluster, one .tar"
      aria-label="Export as verl recipe"
      data-testid="export-verl-recipe"
    >
      {busy ? 'Exporting…' : 'verl recipe'}
    </button>
  );
}
