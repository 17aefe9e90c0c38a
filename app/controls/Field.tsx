// One labelled settings control (select, number or checkbox) with its help tooltip, driven by a FIELDS entry.
import { type KeyboardEvent, type ReactNode, useEffect, useState } from 'react';
import type { InertNote } from '../../src/rl/inert.js';
import {
  allowedText,
  type FieldOption,
  type FieldSpec,
  formatFieldValue,
  parseFieldValue,
} from '../state/fields';

export const inputId = (f: FieldSpec): string => `cfg-input-${f.url}`;
export const helpId = (f: FieldSpec): string => `help-${f.url}`;
const errorId = (f: FieldSpec): string => `cfg-error-${f.url}`;

/**
 * Why a setting has no effect under the others (src/rl/inert.ts), next to it: `data-testid` is
 * `inert-<config path>`. `terse`: the reason is already shown once for the whole group (under its
 * legend), so only "No effect" shows, with the reason as its title.
 */
export function InertNotes({
  path,
  notes,
  terse,
}: {
  path: string;
  notes: readonly InertNote[];
  terse?: boolean;
}) {
  if (!notes.length) return null;
  const reason = notes.map((n) => n.reason).join(' ');
  const rare = notes.every((n) => n.rare);
  const heading = rare
    ? 'Rarely has an effect'
    : notes.every((n) => n.scaleOnly)
      ? 'Its scale has no effect'
      : 'No effect';
  return (
    <p
      className={`cfg-inert${rare ? ' cfg-inert-rare' : ''}`}
      id={`inert-note-${path}`}
      data-testid={`inert-${path}`}
      title={terse ? reason : undefined}
    >
      <strong>{heading}</strong>
      {terse ? '' : `: ${reason}`}
    </p>
  );
}

/** The "?" mark and the help text; CSS shows the text while the surrounding `.cfg-field` is hovered or focused. */
export function Help({ spec }: { spec: FieldSpec }) {
  return (
    <>
      <span className="cfg-help-mark" aria-hidden="true">
        ?
      </span>
      <span className="cfg-help" id={helpId(spec)} role="tooltip">
        {spec.help}
      </span>
    </>
  );
}

interface NumberInputProps {
  spec: FieldSpec;
  value: number;
  onCommit: (v: number) => void;
  disabled?: boolean;
  testId?: string;
  ariaLabel?: string;
}

/**
 * A number input that keeps the user's text while editing and commits on blur or Enter (Escape
 * reverts); invalid text shows an inline message and commits nothing.
 */
export function NumberInput({ spec, value, onCommit, disabled, testId, ariaLabel }: NumberInputProps) {
  const [text, setText] = useState(formatFieldValue(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(formatFieldValue(value));
    setError(null);
  }, [value]);

  const commit = (el: HTMLInputElement) => {
    const p = parseFieldValue(spec, text);
    if (el.validity?.badInput || !p.ok) {
      setError(`enter ${allowedText(spec)}`);
      return;
    }
    setError(null);
    setText(formatFieldValue(p.value));
    if (p.value !== value) onCommit(p.value as number);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit(e.currentTarget);
    else if (e.key === 'Escape') {
      setText(formatFieldValue(value));
      setError(null);
    }
  };

  return (
    <>
      <input
        id={inputId(spec)}
        type="number"
        inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
        min={spec.min}
        max={spec.max}
        step={spec.step ?? (spec.kind === 'int' ? 1 : 'any')}
        value={text}
        disabled={disabled}
        aria-label={ariaLabel}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${helpId(spec)} ${errorId(spec)}` : helpId(spec)}
        data-testid={testId ?? `cfg-${spec.url}`}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={(e) => commit(e.currentTarget)}
        onKeyDown={onKeyDown}
      />
      {error && (
        <span className="cfg-invalid" id={errorId(spec)}>
          {error}
        </span>
      )}
    </>
  );
}

interface FieldProps {
  spec: FieldSpec;
  value: unknown;
  onChange: (v: string | number | boolean) => void;
  disabled?: boolean;
  options?: readonly FieldOption[]; // overrides spec.options (the base checkpoint list)
  inert?: readonly InertNote[]; // why this setting has no effect under the others (none: it has)
  terseInert?: boolean; // the reason is shown once under the group's legend
}

/** Label, control and help for one setting. */
export function Field({ spec, value, onChange, disabled, options, inert = [], terseInert }: FieldProps) {
  const id = inputId(spec);
  let control: ReactNode;
  if (spec.kind === 'enum') {
    const list = options ?? spec.options ?? [];
    const current = String(value);
    const all = list.some((o) => o.value === current) ? list : [{ value: current, label: current }, ...list];
    control = (
      <select
        id={id}
        value={current}
        disabled={disabled}
        aria-describedby={helpId(spec)}
        data-testid={`cfg-${spec.url}`}
        onChange={(e) => onChange(e.currentTarget.value)}
      >
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'bool') {
    control = (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={disabled}
        aria-describedby={helpId(spec)}
        data-testid={`cfg-${spec.url}`}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    );
  } else {
    control = <NumberInput spec={spec} value={Number(value)} onCommit={onChange} disabled={disabled} />;
  }
  return (
    <>
      <div className={`cfg-field cfg-kind-${spec.kind}${inert.length ? ' cfg-field-inert' : ''}`}>
        <label htmlFor={id}>{spec.label}</label>
        <span className="cfg-control">{control}</span>
        <Help spec={spec} />
      </div>
      <InertNotes path={spec.path} notes={inert} terse={terseInert} />
    </>
  );
}
