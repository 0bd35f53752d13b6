import { FAULT_LABELS, type FaultKind } from '../faults/fault-schedule.js';
import type { ScenarioResult } from '../scenarios/run-scenario.js';
import { type ChaosRun, totalFaults } from './chaos-run.js';

/** The summary table's columns, shared by the console table and the Markdown report. */
export const SUMMARY_HEADER = [
  'scenario',
  'acquisitions',
  'faults injected',
  'overlaps',
  'lost updates',
  'stale writes accepted',
  'stale writes rejected',
  'unhandled errors',
  'verdict',
];

const na = 'n/a';

function row(result: ScenarioResult): string[] {
  return [
    result.spec.id,
    String(result.acquisitions),
    String(totalFaults(result)),
    String(result.overlap.overlaps),
    result.lostUpdates === undefined ? na : String(result.lostUpdates.lost),
    result.staleWrites === undefined ? na : String(result.staleWrites.staleAccepted),
    result.staleWrites === undefined ? na : String(result.staleWrites.staleRejected),
    String(result.unhandled.length),
    result.spec.promised
      ? result.violations.length === 0
        ? 'pass'
        : 'FAIL'
      : result.violations.length === 0
        ? 'known limit'
        : 'FAIL',
  ];
}

/** Rows for the promised scenarios, then a total row. */
export function promisedRows(run: ChaosRun): string[][] {
  const promised = run.scenarios.filter((s) => s.spec.promised);
  const rows = promised.map(row);
  const sum = (pick: (r: ScenarioResult) => number | undefined) =>
    String(promised.reduce((n, r) => n + (pick(r) ?? 0), 0));
  rows.push([
    'total',
    sum((r) => r.acquisitions),
    sum(totalFaults),
    sum((r) => r.overlap.overlaps),
    sum((r) => r.lostUpdates?.lost),
    sum((r) => r.staleWrites?.staleAccepted),
    sum((r) => r.staleWrites?.staleRejected),
    sum((r) => r.unhandled.length),
    promised.every((r) => r.violations.length === 0) ? 'pass' : 'FAIL',
  ]);
  return rows;
}

/** Rows for the known-limit scenario(s). */
export function knownLimitRows(run: ChaosRun): string[][] {
  return run.scenarios.filter((s) => !s.spec.promised).map(row);
}

/** "holder SIGKILL 3, SCRIPT FLUSH 2, ..." */
export function faultBreakdown(result: ScenarioResult): string {
  const parts = Object.entries(result.faults.injected).map(
    ([kind, n]) => `${FAULT_LABELS[kind as FaultKind]} ${n}`,
  );
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** Plain-text table for the console. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Markdown table. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}
