// Browser entry point: starts the engine worker and the run manager, restores saved runs, installs
// the test hook when asked for (?testhook=1), mounts the React app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { EngineClient, requestedBackend } from './engineClient';
import { ManagerContext } from './runs/context';
import { RunManager } from './runs/runManager';
import { adoptHash, useStore } from './state/store';
import { installTestHook } from './testHook';
import { wantsTestHook } from './testHookFlag';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root element missing from index.html');
const requested = requestedBackend();
const engine = new EngineClient(requested);
// Run workers use the backend the engine worker decided on for `auto` (no calibration per run).
const manager = new RunManager(requested === 'auto' ? engine.choice.then((c) => c.backend) : requested);
if (wantsTestHook(location.search, import.meta.env.VITE_GCRL_TESTHOOK)) installTestHook(engine);
manager.flushOnHide(window);
// The theme choice is this browser's, not the link's.
const savedTheme = localStorage.getItem('gcrl.theme');
if (savedTheme === 'light' || savedTheme === 'dark') useStore.getState().setTheme(savedTheme);
useStore.subscribe((s, prev) => {
  if (s.theme !== prev.theme) localStorage.setItem('gcrl.theme', s.theme);
});
// A link pasted into the same tab (or back/forward): adopted, validated, with errors shown.
addEventListener('hashchange', adoptHash);
// Runs from earlier visits come back; a first visit (unless ?autostart=0) starts a demo run.
void manager.restore().then(
  () => {
    const auto = new URLSearchParams(location.search).get('autostart') !== '0';
    const visited = localStorage.getItem('gcrl.visited') !== null;
    localStorage.setItem('gcrl.visited', new Date().toISOString());
    if (auto && !visited && useStore.getState().runs.length === 0) {
      const id = manager.add(useStore.getState().draft, { name: 'demo' });
      if (id) void manager.start(id);
    }
  },
  (e: Error) =>
    useStore
      .getState()
      .setNotice({ kind: 'error', text: `Saved runs could not be read from this browser: ${e.message}` }),
);
createRoot(root).render(
  <StrictMode>
    <ManagerContext.Provider value={manager}>
      <App engine={engine} />
    </ManagerContext.Provider>
  </StrictMode>,
);
