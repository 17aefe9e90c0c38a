// Number formatting and line styling shared by the chart components, so every card reads the same way.

/** Dash patterns picked by a metric's position when its LineSpec gives none (first = solid). */
export const DASHES = ['', '6 3', '2 3', '10 3 2 3', '1 4', '12 5'] as const;

/** Colours for metrics when a chart colours by metric (a single run); colour-blind-safe (Okabe–Ito). */
export const METRIC_PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9'] as const;

const compact = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });

/** Tick/tooltip text: `42%` for fractions drawn as percents, else 3 significant digits (1.23k). */
export function formatValue(v: number, percent = false, unit = ''): string {
  if (!Number.isFinite(v)) return '–';
  if (percent) return `${(v * 100).toFixed(Math.abs(v) < 0.1 && v !== 0 ? 1 : 0)}%`;
  const abs = Math.abs(v);
  const text =
    abs >= 1000
      ? `${compact.format(v / 1000)}k`
      : abs !== 0 && abs < 0.01
        ? v.toExponential(1)
        : compact.format(v);
  return unit ? `${text} ${unit}` : text;
}

/** The stroke dash for the i-th metric line. */
export function dashFor(i: number, dash?: string): string {
  return dash ?? DASHES[i % DASHES.length];
}
