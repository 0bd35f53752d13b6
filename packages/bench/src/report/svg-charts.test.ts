import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, formatNumber, lineChart } from './svg-charts.js';

describe('svg charts', () => {
  it('draws one bar per finite value, with escaped labels', () => {
    const svg = barChart({
      title: 'p50 <ratio>',
      unit: '×',
      bars: [
        { label: 'floor', value: 1, emphasis: 'reference' },
        { label: 'a & b', value: 1.2, emphasis: 'deadbolt' },
        { label: 'none', value: Number.NaN, emphasis: 'library' },
      ],
      lines: [{ value: 1.05, label: 'target' }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('a &amp; b');
    expect(svg).toContain('p50 &lt;ratio&gt;');
  });

  it('draws a polyline per series on a log scale', () => {
    const svg = lineChart({
      title: 'gap',
      xLabels: ['W=2', 'W=8', 'W=32'],
      xTitle: 'workers',
      yTitle: 'ms',
      series: [
        { label: 'x', values: [0.5, 1, 2], emphasis: 'deadbolt' },
        { label: 'y', values: [10, Number.NaN, 300], emphasis: 'library' },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(5);
  });

  it('formats numbers to about three digits', () => {
    expect(formatNumber(1234.5)).toBe('1235');
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(0.01234)).toBe('0.012');
    expect(formatNumber(Number.NaN)).toBe('–');
    expect(escapeXml('"<&>"')).toBe('&quot;&lt;&amp;&gt;&quot;');
  });
});
