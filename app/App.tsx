// Top-level layout of the playground page.
import { BackendBadge } from './BackendBadge';
import { EngineCheck } from './EngineCheck';
import type { EngineClient } from './engineClient';
import { ModelPanel } from './ModelPanel';
import { useBackend } from './useBackend';

export function App({ engine }: { engine: EngineClient }) {
  const { backend, reason } = useBackend(engine);
  return (
    <>
      <header className="app-header">
        <h1>GC-RL Playground</h1>
        <BackendBadge backend={backend} reason={reason} />
      </header>
      <main className="app-main">
        <ModelPanel engine={engine} />
        <EngineCheck engine={engine} />
      </main>
    </>
  );
}
