// The report's SVG chart: one polyline per series, escaped labels, a y-range that shows the data.
import { describe, expect, it } from 'vitest';
import { lineChart } from '../../src/report/svg.js';

describe('lineChart', () => {
  it('draws one polyline per series with a legend, escaping text', () => {
    const svg = lineChart('acc <train>', 'acc', [
      {
        label: 'a & b',
        points: [
          [0, 0.5],
          [10, 0.6],
        ],
      },
      {
        label: 'c',
        points: [
          [0, 0.55],
          [10, Number.NaN],
          [20, 0.58],
        ],
      },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('acc &lt;train&gt;');
    expect(svg).toContain('a &amp; b');
    expect(svg).not.toContain('NaN');
    // The y ticks span the data (0.5…0.6), not 0…1.
    expect(svg).not.toMatch(/>1\.00</);
  });
});
