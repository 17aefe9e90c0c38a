// The critique reward as the paper draws it: a 2×2 table (response truth × verdict) plus the missing-verdict cell, with the Eq. 2/5/6 presets.
import { REWARD_PRESETS, type RewardPresetName, type RewardTable } from '../../src/rl/rewards.js';
import { type FieldSpec, fieldByPath } from '../state/fields';
import { Help, inputId, NumberInput } from './Field';

const PRESET_LABELS: Record<RewardPresetName, string> = {
  symmetric: 'Eq. 2 symmetric (0.7/0.7)',
  catchIncorrect: 'Eq. 5 catch incorrect (0.6/0.8)',
  acceptCorrect: 'Eq. 6 accept correct (0.8/0.6)',
};
const PRESET_NAMES = Object.keys(REWARD_PRESETS) as RewardPresetName[];
type Cell = keyof RewardTable;

/** The preset the table equals, if any. */
export function matchingPreset(t: RewardTable): RewardPresetName | null {
  return (
    PRESET_NAMES.find((n) => (Object.keys(t) as Cell[]).every((k) => REWARD_PRESETS[n][k] === t[k])) ?? null
  );
}

const spec = (k: Cell): FieldSpec => {
  const f = fieldByPath(`critique.reward.${k}`);
  if (!f) throw new Error(`no field for critique.reward.${k}`);
  return f;
};

interface Props {
  table: RewardTable;
  onChange: (next: RewardTable) => void;
  disabled?: boolean;
}

export function RewardTableEditor({ table, onChange, disabled }: Props) {
  const current = matchingPreset(table);
  const cell = (k: Cell, aria: string) => {
    const f = spec(k);
    return (
      <td className="cfg-field cfg-reward-cell" data-testid={`cfg-${f.url}`}>
        <NumberInput
          spec={f}
          value={table[k]}
          disabled={disabled}
          testId={`reward-${k}`}
          ariaLabel={aria}
          onCommit={(v) => onChange({ ...table, [k]: v })}
        />
        <Help spec={f} />
      </td>
    );
  };
  const missing = spec('missing');
  return (
    <div className="cfg-reward">
      <table className="cfg-reward-table">
        <caption>Critique reward R(c)</caption>
        <thead>
          <tr>
            <td />
            <th scope="col">verdict correct</th>
            <th scope="col">verdict wrong</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">response correct</th>
            {cell('correctRight', 'reward: response correct, verdict correct')}
            {cell('correctWrong', 'reward: response correct, verdict wrong')}
          </tr>
          <tr>
            <th scope="row">response wrong</th>
            {cell('wrongWrong', 'reward: response wrong, verdict correct')}
            {cell('wrongRight', 'reward: response wrong, verdict wrong')}
          </tr>
        </tbody>
      </table>
      <div className="cfg-field" data-testid={`cfg-${missing.url}`}>
        <label htmlFor={inputId(missing)}>{missing.label}</label>
        <span className="cfg-control">
          <NumberInput
            spec={missing}
            value={table.missing}
            disabled={disabled}
            testId="reward-missing"
            onCommit={(v) => onChange({ ...table, missing: v })}
          />
        </span>
        <Help spec={missing} />
      </div>
      <div className="cfg-presets">
        {PRESET_NAMES.map((n) => (
          <button
            key={n}
            type="button"
            disabled={disabled}
            aria-pressed={current === n}
            data-testid={`reward-preset-${n}`}
            onClick={() => onChange({ ...REWARD_PRESETS[n] })}
          >
            {current === n ? '✓ ' : ''}
            {PRESET_LABELS[n]}
          </button>
        ))}
        <span className="cfg-preset-state" data-testid="reward-preset-current">
          {current ? `table = ${PRESET_LABELS[current]}` : 'custom table'}
        </span>
      </div>
    </div>
  );
}
