import type { Acquisition } from '../history/acquisitions.js';

export interface StaleWriteResult {
  /** Fenced writes sent by a holder whose lock was no longer held. */
  stale: number;
  /** Stale writes the store accepted although a later holder had registered its fence first. */
  staleAccepted: number;
  /** Stale writes the store rejected. */
  staleRejected: number;
  /** Stale writes accepted with no later holder registered yet (fencing allows those). */
  staleAcceptedNoNewer: number;
  /**
   * Accesses of a holder that was still valid that the store rejected: a fence lower than one
   * handed out before, i.e. fences went back (or two holders overlapped).
   */
  validRejected: number;
  examples: string[];
}

/**
 * The stale-write check against the fenced store (a Lua script on a separate Redis that
 * accepts an access only with a fence at least the highest it has seen). Each holder
 * registers its fence when it enters (`begin`) and writes at the end of its critical section,
 * whether or not it still holds the lock: a holder stopped past its ttl that resumes writes
 * with its old fence. Such a write must be rejected once a later holder has registered.
 */
export function checkStaleWrites(acquisitions: readonly Acquisition[]): StaleWriteResult {
  const result: StaleWriteResult = {
    stale: 0,
    staleAccepted: 0,
    staleRejected: 0,
    staleAcceptedNoNewer: 0,
    validRejected: 0,
    examples: [],
  };
  const registered = acquisitions.filter((a) => a.begin?.accepted === true);
  for (const acq of acquisitions) {
    if (acq.begin !== undefined && !acq.begin.accepted && acq.begin.at < acq.validUntil) {
      result.validRejected++;
      note(result, `${acq.worker}#${acq.op}: begin with fence ${acq.fence} rejected while valid`);
    }
    for (const write of acq.fencedWrites) {
      const stale = write.held === false || write.aborted === true || write.at >= acq.validUntil;
      if (!stale) {
        if (!write.accepted) {
          result.validRejected++;
          note(
            result,
            `${acq.worker}#${acq.op}: write with fence ${acq.fence} rejected while valid`,
          );
        }
        continue;
      }
      result.stale++;
      if (!write.accepted) {
        result.staleRejected++;
        continue;
      }
      const newer = registered.find(
        (other) =>
          other !== acq && other.okAt > acq.okAt && (other.begin?.done ?? write.at) < write.at,
      );
      if (newer === undefined) {
        result.staleAcceptedNoNewer++;
      } else {
        result.staleAccepted++;
        note(
          result,
          `${acq.worker}#${acq.op}: stale write with fence ${acq.fence} accepted after ` +
            `${newer.worker}#${newer.op} registered fence ${newer.fence}`,
        );
      }
    }
  }
  return result;
}

function note(result: StaleWriteResult, text: string): void {
  if (result.examples.length < 5) result.examples.push(text);
}
