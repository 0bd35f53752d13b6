import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChaosRun } from './chaos-run.js';
import { formatMarkdown } from './format-markdown.js';
import { formatDuration, renderReport } from './render-report.js';
import { knownLimitRows, markdownTable, promisedRows, SUMMARY_HEADER } from './summary-rows.js';

export const SAFETY_START = '<!-- chaos-figures:start -->';
export const SAFETY_END = '<!-- chaos-figures:end -->';

/** Writes docs/chaos-report.md under `root`; returns its path. */
export function writeReport(root: string, run: ChaosRun): string {
  const path = join(root, 'docs', 'chaos-report.md');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatMarkdown(root, 'docs/chaos-report.md', renderReport(run)));
  return path;
}

/** The figures quoted in docs/safety.md, between its markers. */
export function safetyFigures(run: ChaosRun): string {
  const fuzzCalls = run.fuzz?.outcomes.reduce((n, o) => n + o.calls, 0) ?? 0;
  const leak = run.leak;
  return [
    `Figures from the last chaos run (${run.startedAt.toISOString().slice(0, 10)}, \`pnpm test:chaos\`, ` +
      `${formatDuration(run.elapsedMs)}, base seed \`${run.baseSeed}\`; full report: [chaos-report.md](chaos-report.md)):`,
    '',
    markdownTable(SUMMARY_HEADER, [...promisedRows(run), ...knownLimitRows(run)]),
    '',
    `The last row is the known limit (a redlock majority restarted empty without the delay), shown, not promised. ` +
      `Bad input: ${fuzzCalls} generated calls over ${run.fuzz?.outcomes.length ?? 0} public functions, ` +
      `${run.fuzz?.violations.length === 0 ? 'all refused before reaching Redis' : 'SEE THE REPORT'}. ` +
      (leak === undefined
        ? ''
        : `Leaks: ${leak.cycles} cycles, heap ${leak.heapGrowth >= 0 ? '+' : ''}${(leak.heapGrowth / 1048576).toFixed(2)} MiB ` +
          `(bound ${(leak.heapBound / 1048576).toFixed(0)} MiB), exit ${leak.exitAfterMs === undefined ? 'never' : `${Math.round(leak.exitAfterMs)} ms`} after the loop.`),
  ].join('\n');
}

/**
 * Rewrites only the lines between the chaos-figures markers of docs/safety.md. Another
 * engineer owns that file: when it or either marker is missing, nothing is written.
 * Returns whether the file was updated.
 */
export function updateSafetyFigures(root: string, run: ChaosRun): boolean {
  const path = join(root, 'docs', 'safety.md');
  if (!existsSync(path)) return false;
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(SAFETY_START);
  const end = text.indexOf(SAFETY_END);
  if (start === -1 || end === -1 || end < start) return false;
  const before = text.slice(0, start + SAFETY_START.length);
  const after = text.slice(end);
  // Format the block in its place in the file (Biome checks docs too), then keep only the
  // block: the lines around it are another engineer's and stay as they are.
  const formatted = formatMarkdown(
    root,
    'docs/safety.md',
    `${before}\n${safetyFigures(run)}\n${after}`,
  );
  const from = formatted.indexOf(SAFETY_START);
  const to = formatted.indexOf(SAFETY_END);
  const block =
    from === -1 || to === -1 || to < from
      ? `\n${safetyFigures(run)}\n`
      : formatted.slice(from + SAFETY_START.length, to);
  const next = `${before}${block}${after}`;
  if (next !== text) writeFileSync(path, next);
  return true;
}
