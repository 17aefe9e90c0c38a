// Browser entry point: starts the engine worker, installs the test hook, mounts the React app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { EngineClient, requestedBackend } from './engineClient';
import { installTestHook } from './testHook';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root element missing from index.html');
const engine = new EngineClient(requestedBackend());
installTestHook(engine);
createRoot(root).render(
  <StrictMode>
    <App engine={engine} />
  </StrictMode>,
);
