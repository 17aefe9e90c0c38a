// The settings column: the config form, new-run buttons, and sharing (link, JSON in and out).
import { useMemo, useState } from 'react';
import { GPT_DEFAULTS } from '../src/model/gpt.js';
import { configErrors, PRESETS, type TrainConfig } from '../src/rl/config.js';
import { ConfigPanel } from './controls/ConfigPanel';
import { download } from './export/download';
import { VerlExportButton } from './export/VerlExportButton';
import { FileButton } from './FileButton';
import { useManager } from './runs/context';
import { baseOptions, savedNames } from './runs/savedNames';
import { PAGE_DEFAULTS } from './state/defaults';
import { useStore } from './state/store';
import { decodeConfigJson } from './state/urlConfig';

/** Picking a mode brings its preset's method settings along (Critique-RL's stage II needs m ≥ 1). */
function withModePreset(prev: TrainConfig, next: TrainConfig): TrainConfig {
  if (next.mode === prev.mode || next.mode !== 'critique-rl' || next.critique.denoiseM > 0) return next;
  return { ...next, critique: { ...next.critique, denoiseM: PRESETS['critique-rl'].critique.denoiseM } };
}

/** The shipped bases have the cold start's default context; a saved one's is checked when its run starts. */
const baseCtx = (base: string): number | undefined =>
  base.startsWith('saved:') ? undefined : GPT_DEFAULTS.ctx;

export function SettingsPanel() {
  const draft = useStore((s) => s.draft);
  const setDraft = useStore((s) => s.setDraft);
  const setNotice = useStore((s) => s.setNotice);
  const m = useManager();
  const errors = useMemo(() => configErrors(draft, { ctx: baseCtx(draft.base) }), [draft]);
  const [copied, setCopied] = useState(false);
  const options = baseOptions(savedNames());

  const newRun = (start: boolean) => {
    const id = m.add(draft);
    if (id && start) void m.start(id);
  };
  const copyLink = async () => {
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setNotice({ kind: 'info', text: `Copy this link: ${url}` });
    }
  };
  /** A config JSON file goes through the schema with strict types (src/rl/config.ts): every problem listed. */
  const importConfig = async (f: File) => {
    const { config, errors: errs } = decodeConfigJson(await f.text(), PAGE_DEFAULTS, {
      baseOptions: options,
    });
    if (errs.length) {
      setNotice({ kind: 'error', text: `${f.name} was not loaded (settings unchanged): ${errs.join('; ')}` });
      return;
    }
    setDraft(config);
    setNotice({ kind: 'info', text: `Loaded settings from ${f.name}.` });
  };

  return (
    <aside className="settings" aria-label="Settings">
      <div className="settings-actions">
        <button
          type="button"
          className="primary"
          onClick={() => newRun(true)}
          disabled={errors.length > 0}
          data-testid="new-run-start"
        >
          ▶ New run
        </button>
        <button
          type="button"
          onClick={() => newRun(false)}
          disabled={errors.length > 0}
          data-testid="new-run"
        >
          Add paused
        </button>
        <button type="button" onClick={() => void copyLink()} data-testid="share-link">
          {copied ? 'Link copied' : 'Copy link'}
        </button>
        <button
          type="button"
          onClick={() =>
            download('gcrl-config.json', `${JSON.stringify(draft, null, 2)}\n`, 'application/json')
          }
          data-testid="export-config"
        >
          Config JSON
        </button>
        <VerlExportButton />
        <FileButton
          label="Load JSON"
          accept=".json,application/json"
          testId="import-config"
          onFile={importConfig}
        />
        <button
          type="button"
          onClick={() => setDraft(structuredClone(PAGE_DEFAULTS))}
          data-testid="reset-config"
        >
          Defaults
        </button>
      </div>
      <ConfigPanel
        config={draft}
        onChange={(next) => setDraft(withModePreset(draft, next))}
        errors={errors}
        baseOptions={options}
      />
    </aside>
  );
}
