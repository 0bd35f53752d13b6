import { defineScript } from '../script.js';
import { headLua, wakeHeadLua } from './queue-lua.js';

/**
 * Removes a process that stopped waiting (timeout, abort, error). If it was at the head and
 * the lock is free, a release may have woken it for nothing: the next process is woken.
 *
 * KEYS[1] lock key, KEYS[2] queue. ARGV[1] process id.
 * Returns 1 when the entry existed.
 */
export const queueLeaveScript = defineScript(
  'queue-leave',
  `${headLua('KEYS[2]')}local removed = redis.call('ZREM', KEYS[2], ARGV[1], 'lease:' .. ARGV[1])
if head == ARGV[1] and redis.call('EXISTS', KEYS[1]) == 0 then
  ${wakeHeadLua('KEYS[1]', 'KEYS[2]')}end
return removed > 0 and 1 or 0
`,
);
