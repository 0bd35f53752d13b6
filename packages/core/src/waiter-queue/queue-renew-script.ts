import { defineScript } from '../script.js';
import { dropLapsedLua, headLua, queueClockLua, renewLua } from './queue-lua.js';

/**
 * Renews a waiting process's queue entry (one call per lock name per process, however many
 * of its callers wait), and drops entries whose lease ran out. An entry that lapsed (the
 * process was paused) joins at the back.
 *
 * KEYS[1] lock key, KEYS[2] queue. ARGV[1] process id, ARGV[2] lease ms.
 * Returns 1 when the lock is free and this process is at the head (it should try now: the
 * head before it may have crashed), else 0.
 */
export const queueRenewScript = defineScript(
  'queue-renew',
  `${queueClockLua}${dropLapsedLua('KEYS[2]')}${renewLua('KEYS[2]', 'ARGV[1]', 'ARGV[2]')}if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
${headLua('KEYS[2]')}if head == ARGV[1] then
  return 1
end
return 0
`,
);
