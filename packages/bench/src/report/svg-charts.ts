/** Small, dependency-free SVG charts for the report. */

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
  '#ad494a',
  '#637939',
  '#843c39',
  '#5254a3',
  '#e7ba52',
];

export type Emphasis = 'deadbolt' | 'reference' | 'library';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Formats a figure with about three significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** A tick label: no trailing zeros (0.2, 5, 50). */
function formatTick(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** Maps values to pixels, linearly or on a log10 scale. */
function scale(min: number, max: number, from: number, to: number, log: boolean) {
  const f = log ? Math.log10 : (v: number) => v;
  const lo = f(min);
  const hi = f(max);
  return (v: number) => from + ((f(v) - lo) / (hi - lo || 1)) * (to - from);
}

/** Round tick values covering [min, max]: powers of ten on a log scale. */
function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
      }
    }
    return out;
  }
  const step = 10 ** Math.floor(Math.log10((max - min) / 4 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (max - min) / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice)
    out.push(Number(v.toPrecision(6)));
  return out;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly emphasis: Emphasis;
}

export interface BarChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly bars: readonly Bar[];
  /** Vertical lines, e.g. the floor (1×) and a target. */
  readonly lines?: readonly {
    value: number;
    label: string;
    color?: string;
    anchor?: 'start' | 'middle' | 'end';
  }[];
  readonly unit: string;
  /** Log scale (default: when the values span more than 20×). */
  readonly log?: boolean;
}

/** Horizontal bars, one per implementation, with reference lines. */
export function barChart(options: BarChartOptions): string {
  const bars = options.bars.filter((b) => Number.isFinite(b.value) && b.value > 0);
  const width = 760;
  const left = 230;
  const right = 80;
  const top = options.subtitle ? 58 : 42;
  const rowHeight = 22;
  const height = top + bars.length * rowHeight + 40;
  const values = [...bars.map((b) => b.value), ...(options.lines ?? []).map((l) => l.value)];
  const rawMin = Math.min(...values);
  const rawMax = Math.max(...values);
  const log = options.log ?? rawMax / rawMin > 20;
  const min = log ? 10 ** Math.floor(Math.log10(rawMin * 0.9)) : 0;
  const max = log ? 10 ** Math.ceil(Math.log10(rawMax * 1.1)) : rawMax * 1.1;
  const x = scale(min, max, left, width - right, log);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle) {
    parts.push(`<text x="12" y="40" fill="#555">${escapeXml(options.subtitle)}</text>`);
  }
  const axisY = top + bars.length * rowHeight + 4;
  for (const t of ticks(min, max, log)) {
    const px = x(t).toFixed(1);
    parts.push(
      `<line x1="${px}" y1="${top - 4}" x2="${px}" y2="${axisY}" stroke="#eee"/>`,
      `<text x="${px}" y="${axisY + 14}" text-anchor="middle" fill="#555">${formatTick(t)}${escapeXml(options.unit)}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const x0 = log ? x(min) : x(0);
    const x1 = x(bar.value);
    const fill =
      bar.emphasis === 'deadbolt'
        ? '#1f77b4'
        : bar.emphasis === 'reference'
          ? '#9e9e9e'
          : '#f4a259';
    parts.push(
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end"${bar.emphasis === 'deadbolt' ? ' font-weight="600"' : ''}>${escapeXml(bar.label)}</text>`,
      `<rect x="${x0.toFixed(1)}" y="${y + 4}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${rowHeight - 8}" fill="${fill}"/>`,
      `<text x="${(x1 + 4).toFixed(1)}" y="${y + 15}" fill="#333">${formatNumber(bar.value)}${escapeXml(options.unit)}</text>`,
    );
  });
  for (const line of options.lines ?? []) {
    const px = x(line.value).toFixed(1);
    const color = line.color ?? '#c62828';
    parts.push(
      `<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${axisY}" stroke="${color}" stroke-dasharray="4 3"/>`,
      `<text x="${px}" y="${top - 9}" text-anchor="${line.anchor ?? 'middle'}" fill="${color}" font-size="11">${escapeXml(line.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export interface LineSeries {
  readonly label: string;
  /** One value per x label; NaN leaves a gap. */
  readonly values: readonly number[];
  readonly emphasis: Emphasis;
}

export interface LineChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabels: readonly string[];
  readonly xTitle: string;
  readonly yTitle: string;
  readonly series: readonly LineSeries[];
}

/** Lines over a few categories (e.g. W = 2, 8, 32), log-scaled y, legend on the right. */
export function lineChart(options: LineChartOptions): string {
  const width = 820;
  const height = 430;
  const left = 70;
  const plotRight = 560;
  const top = options.subtitle ? 58 : 42;
  const bottom = height - 50;
  const values = options.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && v > 0);
  const min = 10 ** Math.floor(Math.log10(Math.min(...values) * 0.9));
  const max = 10 ** Math.ceil(Math.log10(Math.max(...values) * 1.1));
  const y = scale(min, max, bottom, top, true);
  const n = options.xLabels.length;
  const x = (i: number) => left + 30 + (i * (plotRight - left - 60)) / Math.max(1, n - 1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle) {
    parts.push(`<text x="12" y="40" fill="#555">${escapeXml(options.subtitle)}</text>`);
  }
  for (const t of ticks(min, max, true)) {
    const py = y(t).toFixed(1);
    parts.push(
      `<line x1="${left}" y1="${py}" x2="${plotRight}" y2="${py}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${py}" dy="4" text-anchor="end" fill="#555">${formatTick(t)}</text>`,
    );
  }
  options.xLabels.forEach((label, i) => {
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${bottom + 18}" text-anchor="middle" fill="#333">${escapeXml(label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" y1="${bottom}" x2="${plotRight}" y2="${bottom}" stroke="#999"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#999"/>`,
    `<text x="${(left + plotRight) / 2}" y="${height - 12}" text-anchor="middle" fill="#333">${escapeXml(options.xTitle)}</text>`,
    `<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(options.yTitle)}</text>`,
  );
  options.series.forEach((series, index) => {
    const color = PALETTE[index % PALETTE.length]!;
    const dash = series.emphasis === 'reference' ? ' stroke-dasharray="6 4"' : '';
    const strokeWidth = series.emphasis === 'deadbolt' ? 3 : 1.6;
    const points = series.values
      .map((v, i) => (Number.isFinite(v) && v > 0 ? [x(i), y(v)] : undefined))
      .filter((p): p is number[] => p !== undefined);
    if (points.length > 1) {
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="${strokeWidth}"${dash} points="${points.map(([px, py]) => `${px!.toFixed(1)},${py!.toFixed(1)}`).join(' ')}"/>`,
      );
    }
    for (const [px, py] of points) {
      parts.push(`<circle cx="${px!.toFixed(1)}" cy="${py!.toFixed(1)}" r="3.5" fill="${color}"/>`);
    }
    const ly = top + 6 + index * 20;
    parts.push(
      `<line x1="${plotRight + 20}" y1="${ly}" x2="${plotRight + 44}" y2="${ly}" stroke="${color}" stroke-width="${strokeWidth}"${dash}/>`,
      `<text x="${plotRight + 50}" y="${ly + 4}"${series.emphasis === 'deadbolt' ? ' font-weight="600"' : ''}>${escapeXml(series.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
