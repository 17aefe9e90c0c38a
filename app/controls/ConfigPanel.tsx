// The settings form: every FIELDS entry as a native, keyboard-accessible control, grouped into fieldsets.
import type { TrainConfig } from '../../src/rl/config.js';
import {
  BASE_OPTIONS,
  FIELDS,
  type FieldGroup,
  type FieldOption,
  GROUPS,
  getPath,
  setPath,
} from '../state/fields';
import { Field } from './Field';
import { RewardTableEditor } from './RewardTableEditor';
import './controls.css';

export interface ConfigPanelProps {
  config: TrainConfig;
  onChange: (next: TrainConfig) => void;
  errors: string[]; // from configErrors (or the URL decoder)
  baseOptions?: FieldOption[]; // shipped checkpoints as loaded at runtime (default BASE_OPTIONS)
  disabled?: boolean; // a running run's config is read-only
}

/** A line under a legend when the mode leaves the group unused. */
function groupNote(group: FieldGroup, mode: TrainConfig['mode']): string | null {
  if ((group === 'critic' || group === 'reward') && mode === 'grl')
    return 'G-RL trains responses only: unused.';
  if (mode === 'coldstart-only' && group !== 'run' && group !== 'task' && group !== 'eval')
    return 'Cold start only: no RL update, unused.';
  return null;
}

export function ConfigPanel({ config, onChange, errors, baseOptions, disabled }: ConfigPanelProps) {
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
      <div className="cfg-groups">
        {GROUPS.map((g) => {
          const note = groupNote(g.id, config.mode);
          return (
            <fieldset key={g.id} className={`cfg-group cfg-group-${g.id}`} data-testid={`cfg-group-${g.id}`}>
              <legend>{g.legend}</legend>
              {note && <p className="cfg-note">{note}</p>}
              {g.id === 'reward' ? (
                <RewardTableEditor
                  table={config.critique.reward}
                  disabled={disabled}
                  onChange={(reward) => onChange(setPath(config, 'critique.reward', reward))}
                />
              ) : (
                FIELDS.filter((f) => f.group === g.id).map((f) => (
                  <Field
                    key={f.url}
                    spec={f}
                    value={getPath(config, f.path)}
                    disabled={disabled}
                    options={f.path === 'base' ? (baseOptions ?? BASE_OPTIONS) : undefined}
                    onChange={(v) => onChange(setPath(config, f.path, v))}
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
