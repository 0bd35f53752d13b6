import { DEADBOLT_FAIR_ID, DEADBOLT_ID } from '../implementations/registry.js';
import type { HandoffCell, Series } from '../results.js';
import { find, num, ratio } from './report-data.js';
import { formatNumber } from './svg-charts.js';

/**
 * How unfair barging gets: deadbolt's default mode (a free lock goes to whoever asks first)
 * against `fair: true` (a free lock goes to the head of the waiter queue), judged on the wait
 * of each acquisition in the handoff scenario (the worker's first acquire call -> resolved).
 */

/** Wait figures of one implementation in one handoff cell (NaN where not measured). */
export interface WaitFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Share of acquisitions that went to a different worker than the one before. */
  readonly handoffShare: number;
  /** The longest phase of the cell (start to stop), ms. */
  readonly phaseMs: number;
}

export interface FairnessRow {
  readonly mode: HandoffCell['mode'];
  readonly workers: number;
  /** deadbolt's default mode; undefined when it did not run in this cell. */
  readonly barging: WaitFigures | undefined;
  /** deadbolt with `fair: true`; undefined when it did not run in this cell. */
  readonly fair: WaitFigures | undefined;
  /** Default wait p99 ÷ fair wait p99: median of the per-round ratios; NaN if not measured. */
  readonly p99Ratio: number;
}

/** Within this factor either way, two tails count as about the same. */
export const ALIKE = 1.5;

export function waitFigures(series: Series | undefined): WaitFigures | undefined {
  if (series === undefined) return undefined;
  const { pooled } = series;
  return {
    p50: num(pooled.waitP50),
    p99: num(pooled.waitP99),
    max: num(pooled.waitMax),
    handoffShare: num(pooled.handoffShare),
    phaseMs: num(pooled.phaseMs),
  };
}

/** Free-for-all first (where a releasing worker can barge at once), then strict by W. */
export function orderedCells(cells: readonly HandoffCell[]): HandoffCell[] {
  const rank = (c: HandoffCell) => (c.mode === 'free' ? 0 : 1);
  return [...cells].sort((a, b) => rank(a) - rank(b) || a.workers - b.workers);
}

/** One row per handoff cell in which deadbolt's default or fair mode ran. */
export function fairnessRows(cells: readonly HandoffCell[]): FairnessRow[] {
  return orderedCells(cells).flatMap((cell): FairnessRow[] => {
    const barging = find(cell.series, DEADBOLT_ID);
    const fair = find(cell.series, DEADBOLT_FAIR_ID);
    if (barging === undefined && fair === undefined) return [];
    return [
      {
        mode: cell.mode,
        workers: cell.workers,
        barging: waitFigures(barging),
        fair: waitFigures(fair),
        p99Ratio: ratio(barging, fair, 'waitP99'),
      },
    ];
  });
}

/** Both modes ran in the row's cell and their wait p99 was recorded. */
export function measured(row: FairnessRow): boolean {
  return (
    Number.isFinite(row.barging?.p99 ?? Number.NaN) && Number.isFinite(row.fair?.p99 ?? Number.NaN)
  );
}

const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const ms = (value: number) => `${formatNumber(value)} ms`;
const pct = (share: number) => `${Math.round(share * 100)}%`;

function freeFinding(row: FairnessRow): string {
  const b = row.barging!;
  const fa = row.fair!;
  const r = row.p99Ratio;
  const lines = [
    `Free-for-all, W = ${row.workers}: default mode's wait p99 is ${x(r)} fair mode's ` +
      `(${ms(b.p99)} vs ${ms(fa.p99)}; longest ${ms(b.max)} vs ${ms(fa.max)}; median ${ms(b.p50)} vs ${ms(fa.p50)}).`,
  ];
  const keptBarging = 1 - b.handoffShare;
  const keptFair = 1 - fa.handoffShare;
  const tookBack =
    keptBarging >= keptFair + 0.1
      ? ` The releasing worker, asking again at once, took the lock back in ${pct(keptBarging)} of acquisitions, against ${pct(keptFair)} in fair mode`
      : '';
  if (r >= ALIKE) {
    lines.push(
      `So barging makes the longest waits ${x(r)} as long.${tookBack}${
        tookBack === ''
          ? ''
          : b.p50 * ALIKE <= fa.p50
            ? ': the typical wait is shorter than in fair mode and the tail is paid by the workers that lose out.'
            : '.'
      }`,
    );
  } else if (r * ALIKE <= 1) {
    lines.push(
      `Here fair mode has the longer tail: barging did not lengthen the waits.${tookBack}${tookBack === '' ? '' : '.'}`,
    );
  } else {
    lines.push(
      `Barging did not show in the tail here: the two p99 waits are within ${ALIKE}× of each other.${tookBack}${tookBack === '' ? '' : '.'}`,
    );
  }
  if (Number.isFinite(b.phaseMs) && b.phaseMs > 0 && b.max >= 0.5 * b.phaseMs) {
    lines.push(
      `Default mode's longest wait (${ms(b.max)}) is ${x(b.max / b.phaseMs)} its cell's longest phase (${ms(b.phaseMs)}, start to stop): ` +
        (b.max >= b.phaseMs
          ? 'a worker waited longer than a whole phase and got the lock only in the wind-down after it, when the others stopped asking'
          : 'a worker waited through at least half of a phase') +
        '. A wait ends at the latest in that wind-down, so this is a lower bound on how long barging can keep one worker waiting.',
    );
  }
  return lines.join(' ');
}

function strictFinding(rows: readonly FairnessRow[]): string {
  const list = rows.map((r) => `${x(r.p99Ratio)} at W = ${r.workers}`).join(', ');
  const longer = rows.filter((r) => r.p99Ratio >= ALIKE).map((r) => r.workers);
  const shorter = rows.filter((r) => r.p99Ratio * ALIKE <= 1).map((r) => r.workers);
  const verdict = [
    longer.length > 0 ? `default mode's tail is longer at W = ${longer.join(', ')}` : '',
    shorter.length > 0 ? `fair mode's tail is longer at W = ${shorter.join(', ')}` : '',
  ].filter(Boolean);
  return (
    `Strict (a worker asks again only after another one has acquired, so it cannot take the lock back right after its own release): default p99 ÷ fair p99 is ${list}; ` +
    (verdict.length === 0
      ? `within ${ALIKE}× everywhere, so without that re-request the two modes wait alike.`
      : `${verdict.join('; ')} (more than ${ALIKE}× apart).`)
  );
}

/** What the rows say, in a few sentences computed from them; "not measured" without data. */
export function fairnessFindings(rows: readonly FairnessRow[]): string[] {
  const done = rows.filter(measured);
  if (done.length === 0) {
    const why =
      rows.length === 0
        ? "deadbolt's default and fair mode did not run in the handoff scenario"
        : rows.some((r) => r.barging === undefined || r.fair === undefined)
          ? "deadbolt's default and fair mode did not both run"
          : 'these results have no wait figures (recorded before waits were measured)';
    return [`Not measured: ${why}.`];
  }
  const findings = done.filter((r) => r.mode === 'free').map(freeFinding);
  const strict = done.filter((r) => r.mode === 'strict');
  if (strict.length > 0) findings.push(strictFinding(strict));
  return findings;
}
