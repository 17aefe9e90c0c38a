// The settings form: every FIELDS entry as a native, keyboard-accessible control, grouped into fieldsets.
import { useMemo } from 'react';
import type { TrainConfig } from '../../src/rl/config.js';
import { groupingSummary, type InertNote, inertSettings, notesFor } from '../../src/rl/inert.js';
import { BASE_OPTIONS, FIELDS, type FieldOption, GROUPS, getPath, setPath } from '../state/fields';
import { Field, InertNotes } from './Field';
import { RewardTableEditor } from './RewardTableEditor';
import './controls.css';

export interface ConfigPanelProps {
  config: TrainConfig;
  onChange: (next: TrainConfig) => void;
  errors: string[]; // from configErrors (or the URL decoder)
  baseOptions?: FieldOption[]; // shipped checkpoints as loaded at runtime (default BASE_OPTIONS)
  disabled?: boolean; // a running run's config is read-only
}

/** The one reason every field of a group shares (shown once under its legend), if there is one. */
function sharedReason(notes: readonly InertNote[], paths: readonly string[]): string | null {
  const reasons = paths.map((p) =>
    notesFor(notes, p)
      .map((n) => n.reason)
      .join(' '),
  );
  const first = reasons[0];
  return paths.length > 1 && first && reasons.every((r) => r === first) ? first : null;
}

export function ConfigPanel({ config, onChange, errors, baseOptions, disabled }: ConfigPanelProps) {
  const inert = useMemo(() => inertSettings(config), [config]);
  return (
    <form className="cfg-panel" aria-label="Training settings" onSubmit={(e) => e.preventDefault()}>
      {errors.length > 0 && (
        <div className="cfg-errors" role="alert" data-testid="config-errors">
          <strong>Settings need attention:</strong>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <p className="cfg-grouping" data-testid="grouping-in-use" data-grouping={config.grpo.grouping}>
        {groupingSummary(config)}
      </p>
      <div className="cfg-groups">
        {GROUPS.map((g) => {
          const fields = FIELDS.filter((f) => f.group === g.id);
          const shared = sharedReason(
            inert,
            fields.map((f) => f.path),
          );
          return (
            <fieldset key={g.id} className={`cfg-group cfg-group-${g.id}`} data-testid={`cfg-group-${g.id}`}>
              <legend>{g.legend}</legend>
              {shared && <p className="cfg-note">{shared}</p>}
              {g.id === 'reward' ? (
                <>
                  <InertNotes
                    path="critique.reward"
                    notes={inert.filter(
                      (n) => n.key === 'critique.reward' || n.key.startsWith('critique.reward.'),
                    )}
                    terse={shared !== null}
                  />
                  <RewardTableEditor
                    table={config.critique.reward}
                    disabled={disabled}
                    onChange={(reward) => onChange(setPath(config, 'critique.reward', reward))}
                  />
                </>
              ) : (
                fields.map((f) => (
                  <Field
                    key={f.url}
                    spec={f}
                    value={getPath(config, f.path)}
                    disabled={disabled}
                    options={f.path === 'base' ? (baseOptions ?? BASE_OPTIONS) : undefined}
                    onChange={(v) => onChange(setPath(config, f.path, v))}
                    inert={notesFor(inert, f.path)}
                    terseInert={shared !== null}
                  />
                ))
              )}
            </fieldset>
          );
        })}
      </div>
    </form>
  );
}
