/**
 * Terminal output for the demo: colour only when stdout is a terminal (and NO_COLOR is not
 * set), aligned tables, and a progress line that redraws itself on a terminal and prints a
 * start and an end line otherwise (so a log file stays readable).
 */

const isTerminal = process.stdout.isTTY === true;
const colour = isTerminal && process.env.NO_COLOR === undefined;

function paint(open: number, close: number): (text: string) => string {
  return (text) => (colour ? `\u001b[${open}m${text}\u001b[${close}m` : text);
}

export const style = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  cyan: paint(36, 39),
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: matches the escape codes of `style`
const ansi = /\u001b\[\d+m/g;
const visibleLength = (text: string) => text.replace(ansi, '').length;

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function heading(title: string): void {
  print();
  print(style.bold(style.cyan(title)));
}

export interface Column {
  readonly header: string;
  /** Numbers read best right-aligned. Default 'left'. */
  readonly align?: 'left' | 'right';
}

/** Prints rows under a header, each column as wide as its widest cell. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): void {
  const widths = columns.map((column, i) =>
    Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    `  ${cells
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - visibleLength(cell));
        return columns[i]!.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd()}`;
  print(style.bold(line(columns.map((c) => c.header))));
  print(style.dim(line(widths.map((w) => '─'.repeat(w)))));
  for (const row of rows) print(line(row));
}

/** One step that takes a while: a redrawn bar on a terminal, two plain lines elsewhere. */
export class Progress {
  readonly #label: string;
  readonly #total: number;
  #drawnAt = 0;

  constructor(label: string, total: number) {
    this.#label = label;
    this.#total = total;
    if (isTerminal) this.update(0);
    else print(`  … ${label}`);
  }

  update(done: number): void {
    if (!isTerminal) return;
    const now = performance.now();
    if (done < this.#total && now - this.#drawnAt < 50) return;
    this.#drawnAt = now;
    const width = 24;
    const filled = Math.round((width * Math.min(done, this.#total)) / Math.max(1, this.#total));
    const bar = `${'█'.repeat(filled)}${style.dim('░'.repeat(width - filled))}`;
    process.stdout.write(`\r\u001b[2K  ${this.#label} ${bar} ${done}/${this.#total}`);
  }

  done(summary: string): void {
    if (isTerminal) process.stdout.write('\r\u001b[2K');
    print(`  ${style.green('✓')} ${this.#label}: ${summary}`);
  }

  fail(summary: string): void {
    if (isTerminal) process.stdout.write('\r\u001b[2K');
    print(`  ${style.red('✗')} ${this.#label}: ${summary}`);
  }
}

/** `12.3 ms`, `1.9 s`: milliseconds for humans. */
export function ms(value: number | undefined): string {
  if (value === undefined) return '–';
  if (value >= 1_000) return `${(value / 1_000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

/** Nearest-rank percentile of a non-empty list; `undefined` for an empty one. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
