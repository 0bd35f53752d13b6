import type { AcquireReply } from '@deadbolt/core';
import type { RoundState } from './quorum-round.js';

/** How a quorum acquire ends. */
export type AcquireDecision =
  /** A quorum granted the lock; `fence` is the largest fence those nodes handed out. */
  | { readonly kind: 'won'; readonly fence: number }
  /**
   * Other owners hold the lock on enough nodes: wait and try again, like on one node.
   * `pttl`: the earliest moment a quorum could become free by expiry alone (-1: unknown).
   */
  | { readonly kind: 'contended'; readonly pttl: number }
  /** Too few nodes answered to ever form a quorum: a `QuorumError`. */
  | { readonly kind: 'outage' };

/**
 * Decides an acquire round of `n` nodes needing `quorum` grants, as early as possible.
 *
 * - `granted >= quorum`: won, without waiting for the other nodes.
 * - The quorum can no longer be won (`granted + pending < quorum`): it is contention when the
 *   nodes that did not fail could form a quorum by themselves (`n - failed >= quorum`: once the
 *   other owner lets go, waiting pays off), an outage when they could not. While pending nodes
 *   could still tip it either way, wait for them (at most the node timeout).
 */
export function decideAcquire(
  state: RoundState<AcquireReply>,
  quorum: number,
): AcquireDecision | undefined {
  const n = state.results.length;
  let granted = 0;
  let failed = 0;
  let fence = 0;
  const heldPttls: number[] = [];
  for (const result of state.results) {
    if (result === undefined) continue;
    if (result.status !== 'ok') failed++;
    else if (result.value.acquired) {
      granted++;
      fence = Math.max(fence, result.value.fence);
    } else heldPttls.push(result.value.pttl);
  }
  const { pending } = state;
  if (granted >= quorum) return { kind: 'won', fence };
  if (granted + pending >= quorum) return undefined;
  if (n - failed - pending >= quorum) {
    return { kind: 'contended', pttl: contentionPttl(heldPttls, quorum - granted - pending) };
  }
  if (n - failed < quorum) return { kind: 'outage' };
  return undefined;
}

/**
 * How long a refused acquire may sleep before a quorum could be free again by expiry alone:
 * the `needed`-th shortest remaining ttl among the nodes held by other owners. `needed` counts
 * the nodes still missing from a quorum when every node that granted us (we give them back) or
 * has not answered yet is counted as free, so it is the earliest such moment, never later.
 * A release wakes the waiter sooner anyway, where the nodes support pub/sub.
 *
 * Returns -1 (unknown: core falls back to its backoff cap) when that node's key has no expiry.
 */
export function contentionPttl(heldPttls: readonly number[], needed: number): number {
  if (needed <= 0) return 0;
  const sorted = heldPttls
    .map((pttl) => (pttl < 0 ? Number.POSITIVE_INFINITY : pttl))
    .sort((a, b) => a - b);
  const bound = sorted[needed - 1];
  if (bound === undefined || bound === Number.POSITIVE_INFINITY) return -1;
  return bound;
}
