import { defineScript } from '@deadbolt/core';

/**
 * Raises a lock's fence counter to at least a given value; never lowers it.
 *
 * KEYS[1] fence counter. ARGV[1] the fence a quorum acquire handed out.
 * Returns the counter's value before the call (0 when it did not exist).
 *
 * Node counters drift apart (a refused attempt still bumps the nodes that granted it; a node
 * that was down or restarted empty missed bumps), so the largest fence of one quorum can be
 * below another node's counter. After each won acquire, every node whose counter is not known
 * to be at least the new fence gets this script, so that any later quorum hands out a larger
 * fence as long as one of its nodes kept its counter.
 */
export const raiseFenceScript = defineScript(
  'raise-fence',
  `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
end
return current
`,
);
