import type { InspectReply } from '@deadbolt/core';
import type { RoundState } from './quorum-round.js';

/** What a quorum inspect reports: the lock, free (`null`), or an outage. */
export type InspectDecision = InspectReply | null | 'outage';

/**
 * Decides an inspect round as early as possible.
 *
 * The lock counts as held when at least a quorum of nodes have its key; the key's owner is
 * not compared, so a short-lived split between contenders that are still acquiring counts as
 * held too. It counts as free as soon as so many nodes lack the key that no quorum can have
 * it. `pttl` is the quorum-th longest remaining ttl among the nodes that have the key (the time
 * until fewer than a quorum will have it, by expiry alone; -1 for no expiry), and `fence` the
 * largest fence among them. With too many nodes failed to tell either way, it is an outage.
 */
export function decideInspect(
  state: RoundState<InspectReply | null>,
  quorum: number,
): InspectDecision | undefined {
  const n = state.results.length;
  let absent = 0;
  const present: InspectReply[] = [];
  for (const result of state.results) {
    if (result === undefined || result.status !== 'ok') continue;
    if (result.value === null) absent++;
    else present.push(result.value);
  }
  if (present.length >= quorum) {
    const pttls = present
      .map(({ pttl }) => (pttl < 0 ? Number.POSITIVE_INFINITY : pttl))
      .sort((a, b) => b - a);
    const pttl = pttls[quorum - 1] ?? 0;
    return {
      pttl: pttl === Number.POSITIVE_INFINITY ? -1 : pttl,
      fence: Math.max(...present.map(({ fence }) => fence)),
    };
  }
  if (absent > n - quorum) return null;
  return state.pending === 0 ? 'outage' : undefined;
}
