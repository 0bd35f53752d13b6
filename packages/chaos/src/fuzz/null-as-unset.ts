import { createLocks, type RedisLikeClient } from '@deadbolt/core';
import { createRedlock } from '@deadbolt/redlock';
import { NULL_AS_UNSET } from './bad-input-arbitraries.js';

/**
 * Probes the creation options that read their value with `??`: which of them take `null` as
 * "not set" instead of refusing it. Per-call options (`acquire(name, { ttl: null })`) refuse
 * `null` with a TypeError; these do not. Reported as a finding, not counted as a failure: the
 * types forbid `null`, and whether JavaScript callers may pass it is the API owner's call.
 *
 * Returns the option paths that accepted `null`.
 */
export function probeNullAsUnset(client: RedisLikeClient, nodes: RedisLikeClient[]): string[] {
  const accepted: string[] = [];
  for (const path of NULL_AS_UNSET) {
    const [head, tail] = path.split('.') as [string, string | undefined];
    const options = { [head]: tail === undefined ? null : { [tail]: null } };
    try {
      if (head === 'quorum' || head === 'nodeTimeout') createRedlock(nodes, options);
      else createLocks(client, options);
      accepted.push(path);
    } catch {
      // Refused, as a bad option should be.
    }
  }
  return accepted;
}
