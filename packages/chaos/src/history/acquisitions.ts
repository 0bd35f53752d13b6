import type { HistoryEvent, HoldKind } from './history-event.js';

/** A fenced-store access of one acquisition, as the worker saw it. */
export interface FencedAccess {
  /** Sent at (monotonic ns). */
  at: bigint;
  /** Answered at (monotonic ns). */
  done: bigint;
  fence: number;
  accepted: boolean;
  /** For writes: `lock.isHeld` / `lock.signal.aborted` when it was sent. */
  held?: boolean;
  aborted?: boolean;
}

/** Everything one worker recorded about one successful acquisition. */
export interface Acquisition {
  worker: string;
  op: number;
  kind: HoldKind;
  fence: number;
  okAt: bigint;
  enteredAt: bigint | undefined;
  exitedAt: bigint | undefined;
  /** The last known end of validity (the acquire's, or a later extension's). */
  validUntil: bigint;
  /** When `signal` aborted, if it did. */
  lostAt: bigint | undefined;
  begin: FencedAccess | undefined;
  fencedWrites: FencedAccess[];
  /** Counter writes: `w-inv` events, and whether each was acknowledged. */
  counterWrites: { at: bigint; value: number; acknowledged: boolean }[];
  /** After a park: when it went on, and what the lock said then. */
  resumed: { at: bigint; aborted: boolean; held: boolean } | undefined;
  parked: boolean;
}

/**
 * The critical section as the checkers judge it: from entering to leaving, cut at the end of
 * the lock's validity. Past validity the holder no longer counts as a holder (it may still
 * run, e.g. after a SIGSTOP; what it writes then is the fenced store's business).
 */
export function holdInterval(acq: Acquisition): { start: bigint; end: bigint } {
  const start = acq.enteredAt ?? acq.okAt;
  const left = acq.exitedAt ?? acq.validUntil;
  // bigints: Math.min does not take them.
  if (left < acq.validUntil) return { start, end: left };
  return { start, end: acq.validUntil };
}

/** Groups the events of any number of workers into acquisitions (unsuccessful ones dropped). */
export function collectAcquisitions(events: readonly HistoryEvent[]): Acquisition[] {
  const byOp = new Map<string, Acquisition>();
  const get = (worker: string, op: number) => byOp.get(`${worker}#${op}`);
  for (const event of events) {
    if (!('op' in event)) continue;
    const t = BigInt(event.t);
    if (event.type === 'ok') {
      byOp.set(`${event.worker}#${event.op}`, {
        worker: event.worker,
        op: event.op,
        kind: event.kind,
        fence: event.fence,
        okAt: t,
        enteredAt: undefined,
        exitedAt: undefined,
        validUntil: BigInt(event.validUntil),
        lostAt: undefined,
        begin: undefined,
        fencedWrites: [],
        counterWrites: [],
        resumed: undefined,
        parked: false,
      });
      continue;
    }
    const acq = get(event.worker, event.op);
    if (acq === undefined) continue;
    switch (event.type) {
      case 'enter':
        acq.enteredAt = t;
        break;
      case 'exit':
        acq.exitedAt = t;
        break;
      case 'extended': {
        const until = BigInt(event.validUntil);
        if (until > acq.validUntil) acq.validUntil = until;
        break;
      }
      case 'lost':
        acq.lostAt ??= t;
        break;
      case 'park':
        acq.parked = true;
        break;
      case 'resumed':
        acq.resumed = { at: t, aborted: event.aborted, held: event.held };
        break;
      case 'begin':
        acq.begin = {
          at: t,
          done: BigInt(event.done),
          fence: event.fence,
          accepted: event.accepted,
        };
        break;
      case 'fenced-write':
        acq.fencedWrites.push({
          at: t,
          done: BigInt(event.done),
          fence: event.fence,
          accepted: event.accepted,
          held: event.held,
          aborted: event.aborted,
        });
        break;
      case 'w-inv':
        acq.counterWrites.push({ at: t, value: event.value, acknowledged: false });
        break;
      case 'w-ok': {
        const write = acq.counterWrites.find((w) => w.value === event.value && !w.acknowledged);
        if (write !== undefined) write.acknowledged = true;
        break;
      }
      default:
        break;
    }
  }
  return [...byOp.values()];
}
