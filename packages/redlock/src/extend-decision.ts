import type { ExtendReply } from '@deadbolt/core';
import type { RoundState } from './quorum-round.js';

/** How a quorum extension ends: one of core's replies, or an outage (`QuorumError`). */
export type ExtendDecision = ExtendReply | 'outage';

/**
 * Decides an extend round as early as possible.
 *
 * - `extended >= quorum`: extended.
 * - Even if every failed and pending node had extended, no quorum: the lock is definitely no
 *   longer ours. `'taken'` when other owners' tokens alone rule out a quorum of ours,
 *   `'absent'` otherwise (our key expired or vanished, e.g. a node restarted empty).
 * - Otherwise the failures decide it: an outage (`QuorumError`); core keeps trying until the
 *   lock's validity runs out and then reports it lost with reason `'connection'`.
 */
export function decideExtend(
  state: RoundState<ExtendReply>,
  quorum: number,
): ExtendDecision | undefined {
  const n = state.results.length;
  let extended = 0;
  let taken = 0;
  let failed = 0;
  for (const result of state.results) {
    if (result === undefined) continue;
    if (result.status !== 'ok') failed++;
    else if (result.value === 'extended') extended++;
    else if (result.value === 'taken') taken++;
  }
  const { pending } = state;
  if (extended >= quorum) return 'extended';
  if (extended + pending >= quorum) return undefined;
  if (extended + failed + pending < quorum) return taken > n - quorum ? 'taken' : 'absent';
  return pending === 0 ? 'outage' : undefined;
}
