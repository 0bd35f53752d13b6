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
 * - Only nodes in `doubtful` (suspected down: their last call timed out) could still make up
 *   the quorum, other owners hold some nodes, and the nodes neither failed nor doubtful could
 *   form a quorum: contention, at once. Waiting would hold on to the nodes we got, for a node
 *   that is most likely down, while the other owners (typically contenders that split the
 *   nodes with us) hold on to theirs: nobody could win meanwhile.
 */
export function decideAcquire(
  state: RoundState<AcquireReply>,
  quorum: number,
  doubtful: readonly boolean[] = [],
): AcquireDecision | undefined {
  const n = state.results.length;
  let granted = 0;
  let failed = 0;
  let fence = 0;
  let doubtfulPending = 0;
  const heldPttls: number[] = [];
  for (let node = 0; node < n; node++) {
    const result = state.results[node];
    if (result === undefined) {
      if (doubtful[node]) doubtfulPending++;
    } else if (result.status !== 'ok') failed++;
    else if (result.value.acquired) {
      granted++;
      fence = Math.max(fence, result.value.fence);
    } else heldPttls.push(result.value.pttl);
  }
  const { pending } = state;
  if (granted >= quorum) return { kind: 'won', fence };
  if (granted + pending >= quorum) {
    const likely = pending - doubtfulPending;
    const split =
      heldPttls.length > 0 && granted + likely < quorum && n - failed - doubtfulPending >= quorum;
    if (!split) return undefined;
    return { kind: 'contended', pttl: contentionPttl(heldPttls, quorum - granted - likely) };
  }
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
