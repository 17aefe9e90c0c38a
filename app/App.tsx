// Top-level layout of the playground page.
import { BackendBadge } from './BackendBadge';
import { useBackend } from './useBackend';

export function App() {
  const { backend, reason } = useBackend();
  return (
    <>
      <header className="app-header">
        <h1>GC-RL Playground</h1>
        <BackendBadge backend={backend} reason={reason} />
      </header>
      <main className="app-main" />
    </>
  );
}
