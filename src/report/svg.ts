// A small dependency-free SVG line chart for reports: one polyline per series, axes, a legend.

export interface Series {
  label: string;
  points: [number, number][]; // (x, y)
}

const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#6e7781'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function lineChart(
  title: string,
  yLabel: string,
  series: readonly Series[],
  w = 560,
  h = 280,
): string {
  const pad = { l: 52, r: 150, t: 28, b: 36 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  // Loops, not spreads: a long run's points would overflow the stack as call arguments.
  const lo = (v: number[], init = Number.POSITIVE_INFINITY) => v.reduce((m, x) => Math.min(m, x), init);
  const hi = (v: number[], init = Number.NEGATIVE_INFINITY) => v.reduce((m, x) => Math.max(m, x), init);
  const [x0, x1] = [lo(xs, 0), hi(xs, 1)];
  // The data's own range, padded, so differences of a few points stay visible.
  const span = Math.max(hi(ys) - lo(ys), 0.02);
  let [y0, y1] = [lo(ys) - 0.1 * span, hi(ys) + 0.1 * span];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  const px = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (w - pad.l - pad.r);
  const py = (y: number) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * (y1 - y0));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${pad.l}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
    ...ticks.map(
      (t) =>
        `<line x1="${pad.l}" x2="${w - pad.r}" y1="${py(t)}" y2="${py(t)}" stroke="#d0d7de"/><text x="${pad.l - 6}" y="${py(t) + 4}" text-anchor="end">${t.toFixed(2)}</text>`,
    ),
    `<text x="${(pad.l + w - pad.r) / 2}" y="${h - 6}" text-anchor="middle">step</text>`,
    `<text x="12" y="${(pad.t + h - pad.b) / 2}" transform="rotate(-90 12 ${(pad.t + h - pad.b) / 2})" text-anchor="middle">${esc(yLabel)}</text>`,
    `<text x="${pad.l}" y="${h - pad.b + 14}">${x0}</text><text x="${w - pad.r}" y="${h - pad.b + 14}" text-anchor="end">${x1}</text>`,
  ];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points
      .filter((p) => Number.isFinite(p[1]))
      .map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    const ly = pad.t + 14 + i * 16;
    parts.push(
      `<line x1="${w - pad.r + 10}" x2="${w - pad.r + 26}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`,
    );
    parts.push(`<text x="${w - pad.r + 30}" y="${ly}">${esc(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
