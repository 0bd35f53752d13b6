import type { RoundState } from './quorum-round.js';

/** How a quorum release ends: whether we still held it, or an outage (`QuorumError`). */
export type ReleaseDecision = boolean | 'outage';

/**
 * Decides a release round (each node answers whether it deleted our token) as early as
 * possible:
 * - `true` once a quorum deleted our token;
 * - `false` once that is out of reach and a quorum of nodes answered: the lock had expired or
 *   been taken over, or it can no longer be confirmed (a node that held it does not answer),
 *   which a caller must treat the same way;
 * - an outage (`QuorumError`) when fewer than a quorum of nodes answer at all, like an
 *   acquire: then nothing can be said.
 *
 * Either way the release has been sent to every node, and runs on the silent ones once they
 * answer again.
 */
export function decideRelease(
  state: RoundState<boolean>,
  quorum: number,
): ReleaseDecision | undefined {
  let released = 0;
  let answered = 0;
  for (const result of state.results) {
    if (result === undefined || result.status !== 'ok') continue;
    answered++;
    if (result.value) released++;
  }
  const { pending } = state;
  if (released >= quorum) return true;
  if (released + pending >= quorum) return undefined;
  if (answered >= quorum) return false;
  if (answered + pending < quorum) return 'outage';
  return undefined;
}
