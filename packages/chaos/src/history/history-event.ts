/**
 * One line of a worker's history. Workers print each event as a JSON line on stdout the
 * moment it happens (writes to a pipe are synchronous on Linux, so a SIGKILL loses nothing
 * that was recorded). Every `t` is `process.hrtime.bigint()` as a decimal string: on Linux
 * that is CLOCK_MONOTONIC, one clock for every process on the machine, so the histories of
 * several workers can be merged and compared.
 */

/** What one acquisition holds. */
export type HoldKind = 'mutex' | 'permit' | 'read' | 'write';

/** How a worker took the lock. */
export type AcquireStyle = 'acquire' | 'tryAcquire' | 'withLock';

interface Base {
  /** Worker id, e.g. `w3`. */
  worker: string;
  /** Monotonic time, ns (decimal string of a bigint). */
  t: string;
}

/** Events about one acquisition carry `op`, unique within the worker. */
interface OpBase extends Base {
  op: number;
}

export type HistoryEvent =
  | (Base & { type: 'start'; pid: number })
  | (OpBase & { type: 'invoke'; kind: HoldKind; style: AcquireStyle })
  | (OpBase & {
      type: 'ok';
      kind: HoldKind;
      fence: number;
      /** Monotonic time (ns) at which the lock's own validity runs out. */
      validUntil: string;
    })
  /** The acquire did not give the lock: `error` is a code (`LOCK_TIMEOUT`, `refused`, ...). */
  | (OpBase & { type: 'fail'; kind: HoldKind; error: string })
  | (OpBase & { type: 'enter' })
  /** A successful extension: the new end of validity. */
  | (OpBase & { type: 'extended'; validUntil: string })
  /** The lock's `signal` aborted (`reason` of its `LockLostError`). */
  | (OpBase & { type: 'lost'; reason: string })
  /** Parked inside the critical section on the orchestrator's request (before a fault). */
  | (OpBase & { type: 'park'; fence: number; validUntil: string })
  /** Went on after a park: what the lock said at that moment. */
  | (OpBase & { type: 'resumed'; aborted: boolean; held: boolean })
  /** Registered its fence with the fenced store (`t` = sent, `done` = answered). */
  | (OpBase & { type: 'begin'; fence: number; accepted: boolean; max: number; done: string })
  /** Read the unfenced counter. */
  | (OpBase & { type: 'read'; value: number })
  /** About to write `value` to the unfenced counter (recorded before the command is sent). */
  | (OpBase & { type: 'w-inv'; value: number })
  | (OpBase & { type: 'w-ok'; value: number })
  /** Did not write the counter: the lock was no longer safely held. */
  | (OpBase & { type: 'w-skip'; aborted: boolean; held: boolean })
  /** A write to the fenced store with the lock's fence, attempted whatever the lock said. */
  | (OpBase & {
      type: 'fenced-write';
      fence: number;
      accepted: boolean;
      max: number;
      done: string;
      /** `lock.isHeld` and `lock.signal.aborted` when the write was sent. */
      held: boolean;
      aborted: boolean;
    })
  | (OpBase & { type: 'exit' })
  /** `release()` resolved `true`/`false`, or failed with an error code. */
  | (OpBase & { type: 'release'; result: string })
  /** An error after the critical section ran (e.g. `withLock` reporting the lock lost). */
  | (OpBase & { type: 'after'; error: string })
  | (Base & { type: 'unhandled'; error: string })
  /** A lock event of kind 'error' from `onEvent` (an error inside the lock path). */
  | (Base & { type: 'lock-error'; name: string; error: string })
  /** Recorded by the orchestrator (worker `chaos`): a fault as it was injected. */
  | (Base & { type: 'fault'; kind: string; detail: string })
  | (Base & { type: 'done' });

export type HistoryEventType = HistoryEvent['type'];

/** Parses one stdout line of a worker; `undefined` for anything that is not an event. */
export function parseHistoryLine(line: string): HistoryEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as HistoryEvent;
    return typeof value === 'object' && value !== null && typeof value.type === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
