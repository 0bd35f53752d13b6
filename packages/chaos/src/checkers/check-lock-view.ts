import type { Acquisition } from '../history/acquisitions.js';

export interface LockViewResult {
  /** Holders resumed after a SIGSTOP past their validity. */
  resumedPastValidity: number;
  /** ... whose `signal` was not aborted (or `isHeld` still true) when they went on. */
  signalNotAborted: number;
  /** Counter writes sent past the end of the lock's validity (`isHeld` said true too late). */
  writesPastValidity: number;
  examples: string[];
}

/**
 * The holder's own view of its lock. A holder resumed past its validity must see
 * `signal.aborted` (and `isHeld === false`) before it writes again; and a write guarded by
 * `isHeld` must never be sent past the validity the lock itself reported.
 */
export function checkLockView(acquisitions: readonly Acquisition[]): LockViewResult {
  const result: LockViewResult = {
    resumedPastValidity: 0,
    signalNotAborted: 0,
    writesPastValidity: 0,
    examples: [],
  };
  for (const acq of acquisitions) {
    const resumed = acq.resumed;
    if (resumed !== undefined && resumed.at > acq.validUntil) {
      result.resumedPastValidity++;
      const abortedBefore = acq.lostAt !== undefined && acq.lostAt <= resumed.at;
      if (!resumed.aborted || resumed.held || !abortedBefore) {
        result.signalNotAborted++;
        if (result.examples.length < 5) {
          result.examples.push(
            `${acq.worker}#${acq.op}: resumed ${(resumed.at - acq.validUntil) / 1_000_000n} ms past ` +
              `validity with aborted=${resumed.aborted} isHeld=${resumed.held}`,
          );
        }
      }
    }
    for (const write of acq.counterWrites) {
      if (write.at >= acq.validUntil) {
        result.writesPastValidity++;
        if (result.examples.length < 5) {
          result.examples.push(`${acq.worker}#${acq.op}: counter write sent past validity`);
        }
      }
    }
  }
  return result;
}
