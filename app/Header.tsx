// The page header: title, backend in use with why it was chosen (and any fallback reason), backend menu and theme.
import type { BackendName } from '../src/engine/runtime.js';
import { BackendBadge } from './BackendBadge';
import { type Theme, useStore } from './state/store';
import type { BackendState } from './useBackend';

const BACKENDS: { value: BackendName | 'auto'; label: string }[] = [
  { value: 'auto', label: 'auto (the faster here)' },
  { value: 'web-webgpu', label: 'WebGPU' },
  { value: 'web-wasm', label: 'WASM (CPU)' },
];

export function Header({ backend, requested }: { backend: BackendState; requested: BackendName | 'auto' }) {
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  const pickBackend = (b: string) => {
    const u = new URL(location.href);
    if (b === 'auto') u.searchParams.delete('backend');
    else u.searchParams.set('backend', b);
    location.assign(u.href); // workers pick their backend at start: a reload applies it
  };
  return (
    <header className="app-header">
      <h1>GC-RL Playground</h1>
      <BackendBadge backend={backend.backend} reason={backend.reason} />
      {backend.choice && (
        <small className="backend-choice" data-testid="backend-choice">
          {backend.choice}
        </small>
      )}
      <span className="header-spacer" />
      <label title="Which ONNX Runtime backend the training workers use; changing it reloads the page (runs are kept).">
        Backend{' '}
        <select value={requested} onChange={(e) => pickBackend(e.target.value)} data-testid="backend-select">
          {BACKENDS.map((b) => (
            <option key={b.value} value={b.value}>
              {b.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Theme{' '}
        <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} data-testid="theme-select">
          <option value="system">system</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
    </header>
  );
}
