// Top-level layout: header, settings column, and the main area (experiments, runs, then charts /
// samples / base model tabs).
import { useEffect } from 'react';
import { ChartsView } from './ChartsView';
import { EngineCheck } from './EngineCheck';
import type { EngineClient } from './engineClient';
import { requestedBackend } from './engineClient';
import { ExperimentPanel } from './experiments/ExperimentPanel';
import { Header } from './Header';
import { HfPanel } from './hf/HfPanel';
import { ModelPanel } from './ModelPanel';
import { CheckpointsPanel } from './runs/CheckpointsPanel';
import { RunsPanel } from './runs/RunsPanel';
import { SettingsPanel } from './SettingsPanel';
import { SamplesInspector } from './samples/SamplesInspector';
import { type Tab, useStore } from './state/store';
import { useBackend } from './useBackend';

const TABS: { id: Tab; label: string }[] = [
  { id: 'charts', label: 'Charts' },
  { id: 'samples', label: 'Samples' },
  { id: 'model', label: 'Base model' },
];

function Banners() {
  const urlErrors = useStore((s) => s.urlErrors);
  const dismiss = useStore((s) => s.dismissUrlErrors);
  const notice = useStore((s) => s.notice);
  const setNotice = useStore((s) => s.setNotice);
  return (
    <>
      {urlErrors.length > 0 && (
        <div className="banner error" role="alert" data-testid="url-errors">
          <strong>The link's settings had problems; defaults were used for these:</strong>
          <ul>
            {urlErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {notice && (
        <div
          className={`banner ${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="notice"
        >
          {notice.text}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}

export function App({ engine }: { engine: EngineClient }) {
  const backend = useBackend(engine);
  const tab = useStore((s) => s.tab);
  const setTab = useStore((s) => s.setTab);
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <>
      <Header backend={backend} requested={requestedBackend()} />
      <Banners />
      <div className="layout">
        <SettingsPanel />
        <main className="app-main">
          <ExperimentPanel />
          <section aria-labelledby="runs-title">
            <h2 id="runs-title">Runs</h2>
            <RunsPanel />
          </section>
          <div className="tabs" role="tablist" aria-label="Views">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                className={tab === t.id ? 'tab active' : 'tab'}
                onClick={() => setTab(t.id)}
                data-testid={`tab-${t.id}`}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div role="tabpanel">
            {tab === 'charts' && <ChartsView />}
            {tab === 'samples' && <SamplesInspector />}
            {tab === 'model' && (
              <>
                <ModelPanel engine={engine} />
                <CheckpointsPanel />
                <HfPanel />
                <EngineCheck engine={engine} />
              </>
            )}
          </div>
        </main>
      </div>
    </>
  );
}
