// Lets a user save any chart card as a standalone SVG or PNG (for slides and reports) without a server.
import { downloadBlob } from '../export/download';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Presentation properties copied from computed style so CSS variables and classes resolve in the file. */
const INLINED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'visibility',
] as const;

/** One legend entry drawn under the chart in the exported file (the page's legend is HTML, not SVG). */
export interface LegendEntry {
  name: string;
  color: string;
  dash?: string;
}

export interface ExportOptions {
  /** Drawn as a heading above the chart. */
  title?: string;
  /** Drawn as a legend below the chart. */
  legend?: readonly LegendEntry[];
  /** Background fill; defaults to the page's `--bg`. */
  background?: string;
}

/** `gcrl-<testId>.<ext>`, the download name for a chart card. */
export function exportFilename(testId: string, ext: 'svg' | 'png'): string {
  return `gcrl-${testId.replace(/[^\w.-]+/g, '_')}.${ext}`;
}

function chartSvg(root: Element): SVGSVGElement {
  const svg = root.querySelector('.recharts-wrapper > svg') ?? root.querySelector('svg.recharts-surface');
  if (!(svg instanceof SVGSVGElement)) throw new Error('No chart to export yet');
  return svg;
}

/** Copies computed presentation values onto the copy; inherited ones only where they differ from the parent. */
function inlineStyles(orig: Element, copy: Element, parent: CSSStyleDeclaration | null): void {
  const cs = getComputedStyle(orig);
  const style = (copy as SVGElement).style;
  for (const prop of INLINED) {
    const v = cs.getPropertyValue(prop);
    if (!v) continue;
    const inherited = prop !== 'opacity';
    if (parent && (inherited ? parent.getPropertyValue(prop) === v : v === '1')) continue;
    style.setProperty(prop, v);
  }
}

function inlineTree(orig: Element, copy: Element, parent: CSSStyleDeclaration | null): void {
  inlineStyles(orig, copy, parent);
  const cs = getComputedStyle(orig);
  for (let i = 0; i < orig.children.length && i < copy.children.length; i++) {
    inlineTree(orig.children[i], copy.children[i], cs);
  }
}

function el(name: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Side padding so edge tick labels (drawn past the plot edge) are not cut off. */
const PAD = 14;

function buildSvg(root: Element, opts: ExportOptions): { markup: string; width: number; height: number } {
  const svg = chartSvg(root);
  const box = svg.getBoundingClientRect();
  const chartW = Math.round(box.width || svg.width.baseVal.value || 600);
  let chartH = Math.round(box.height || svg.height.baseVal.value || 220);
  // Recharts reserves room for its HTML legend inside the SVG; crop it off, the legend is redrawn below.
  const legendBox = root.querySelector('.recharts-legend-wrapper')?.getBoundingClientRect();
  if (opts.legend?.length && legendBox && legendBox.height > 0 && legendBox.top > box.top) {
    chartH = Math.min(chartH, Math.round(legendBox.top - box.top));
  }
  const width = chartW + 2 * PAD;
  const rootStyle = getComputedStyle(root);
  const bg = opts.background ?? (rootStyle.getPropertyValue('--bg').trim() || '#ffffff');
  const fg = rootStyle.color || '#1b1f24';
  const font = rootStyle.fontFamily || 'sans-serif';

  const copy = svg.cloneNode(true) as SVGSVGElement;
  inlineTree(svg, copy, null);
  for (const prop of ['width', 'height', 'display']) copy.style.removeProperty(prop);
  for (const attr of ['role', 'tabindex', 'class']) copy.removeAttribute(attr);

  const titleH = opts.title ? 30 : 0;
  // Legend rows: estimate text width (0.6 em per character at 12px) to wrap entries across the width.
  const items: { entry: LegendEntry; x: number; row: number }[] = [];
  let x = PAD;
  let row = 0;
  for (const entry of opts.legend ?? []) {
    const w = 30 + entry.name.length * 7.2 + 16;
    if (x + w > width - PAD && x > PAD) {
      x = PAD;
      row++;
    }
    items.push({ entry, x, row });
    x += w;
  }
  const legendH = items.length ? (row + 1) * 20 + 10 : 0;
  const height = titleH + chartH + legendH;

  const out = el('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}` });
  out.appendChild(el('rect', { x: 0, y: 0, width, height, fill: bg }));
  if (opts.title) {
    const t = el('text', {
      x: PAD,
      y: 21,
      fill: fg,
      'font-family': font,
      'font-size': 15,
      'font-weight': 600,
    });
    t.textContent = opts.title;
    out.appendChild(t);
  }
  copy.setAttribute('x', String(PAD));
  copy.setAttribute('y', String(titleH));
  copy.setAttribute('width', String(chartW));
  copy.setAttribute('height', String(chartH));
  copy.setAttribute('viewBox', `0 0 ${chartW} ${chartH}`);
  copy.setAttribute('overflow', 'visible');
  out.appendChild(copy);
  for (const { entry, x: ix, row: r } of items) {
    const y = titleH + chartH + 14 + r * 20;
    const line = el('line', { x1: ix, y1: y, x2: ix + 24, y2: y, stroke: entry.color, 'stroke-width': 2.5 });
    if (entry.dash) line.setAttribute('stroke-dasharray', entry.dash);
    out.appendChild(line);
    const t = el('text', { x: ix + 30, y: y + 4, fill: fg, 'font-family': font, 'font-size': 12 });
    t.textContent = entry.name;
    out.appendChild(t);
  }
  const markup = new XMLSerializer().serializeToString(out);
  return { markup: `<?xml version="1.0" encoding="UTF-8"?>\n${markup}`, width, height };
}

/** The chart inside `figure` as a standalone SVG document (inlined colours, xmlns, background rect). */
export function svgString(figure: Element, opts: ExportOptions = {}): string {
  return buildSvg(figure, opts).markup;
}

/** Downloads the chart inside `figure` as an SVG file. */
export function downloadSvg(figure: Element, filename: string, opts: ExportOptions = {}): void {
  downloadBlob(new Blob([svgString(figure, opts)], { type: 'image/svg+xml;charset=utf-8' }), filename);
}

/** Downloads the chart inside `figure` as a PNG, rendered at `scale`× its on-screen size. */
export async function downloadPng(
  figure: Element,
  filename: string,
  scale = 2,
  opts: ExportOptions = {},
): Promise<void> {
  const { markup, width, height } = buildSvg(figure, opts);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('Canvas 2D is not available');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('PNG encoding failed');
    downloadBlob(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}
