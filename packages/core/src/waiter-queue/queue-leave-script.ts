import { defineScript } from '../script.js';
import { dropLapsedLua, queueClockLua, wakeHeadLua } from './queue-lua.js';

/**
 * Removes a process that stopped waiting (timeout, abort, error). If it was at the head and
 * the lock is free, a release may have woken it for nothing: the next process is woken.
 *
 * KEYS[1] lock key, KEYS[2] queue, KEYS[3] queue leases. ARGV[1] process id.
 * Returns 1 when the entry existed.
 */
export const queueLeaveScript = defineScript(
  'queue-leave',
  `local wasHead = redis.call('ZRANGE', KEYS[2], 0, 0)[1] == ARGV[1]
local removed = redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if wasHead and redis.call('EXISTS', KEYS[1]) == 0 then
  ${queueClockLua}${dropLapsedLua('KEYS[2]', 'KEYS[3]')}${wakeHeadLua('KEYS[1]', 'KEYS[2]')}end
return removed
`,
);
