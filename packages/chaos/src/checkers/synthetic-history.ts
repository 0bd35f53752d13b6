import type { HistoryEvent, HoldKind } from '../history/history-event.js';

/** Milliseconds to the nanosecond strings of a history. */
const ns = (ms: number) => String(BigInt(Math.round(ms * 1_000_000)));

/** Options of one made-up critical section. */
export interface SyntheticHold {
  worker: string;
  op: number;
  kind?: HoldKind;
  fence: number;
  enter: number;
  exit?: number;
  validUntil: number;
  /** Counter write: the value written (read + 1), at `exit`. */
  wrote?: number;
  /** Fenced write at `exit`: accepted or not, and the lock's view then. */
  fenced?: { accepted: boolean; held: boolean };
  /** Fenced `begin` at `enter`: accepted or not. */
  begin?: boolean;
}

/**
 * Builds the events a worker would have printed for one critical section (times in ms).
 * Used by the checkers' tests and by the run's self-test, which feeds the checkers histories
 * with known violations to prove that they would see them.
 */
export function syntheticHold(hold: SyntheticHold): HistoryEvent[] {
  const base = { worker: hold.worker, op: hold.op };
  const kind = hold.kind ?? 'mutex';
  const events: HistoryEvent[] = [
    {
      ...base,
      type: 'ok',
      kind,
      fence: hold.fence,
      validUntil: ns(hold.validUntil),
      t: ns(hold.enter),
    },
    { ...base, type: 'enter', t: ns(hold.enter) },
  ];
  if (hold.begin !== undefined) {
    events.push({
      ...base,
      type: 'begin',
      fence: hold.fence,
      accepted: hold.begin,
      max: hold.fence,
      done: ns(hold.enter + 0.1),
      t: ns(hold.enter),
    });
  }
  const at = hold.exit ?? hold.validUntil;
  if (hold.wrote !== undefined) {
    events.push({ ...base, type: 'w-inv', value: hold.wrote, t: ns(at - 0.2) });
    events.push({ ...base, type: 'w-ok', value: hold.wrote, t: ns(at - 0.1) });
  }
  if (hold.fenced !== undefined) {
    events.push({
      ...base,
      type: 'fenced-write',
      fence: hold.fence,
      accepted: hold.fenced.accepted,
      max: hold.fence,
      held: hold.fenced.held,
      aborted: !hold.fenced.held,
      done: ns(at),
      t: ns(at - 0.05),
    });
  }
  if (hold.exit !== undefined) events.push({ ...base, type: 'exit', t: ns(hold.exit) });
  return events;
}
