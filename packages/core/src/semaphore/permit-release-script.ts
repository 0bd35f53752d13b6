import { defineScript } from '../script.js';
import { serverNowLua } from '../server-time.js';

/**
 * Returns a permit (a semaphore's, or a read hold's) and wakes waiters.
 *
 * KEYS[1] holders, KEYS[2] fences, KEYS[3] the key whose `:released` channel waiters listen
 * on. ARGV[1] token, ARGV[2] '1' to announce every release, '0' to announce only the
 * release that leaves no holder (what a waiting writer needs).
 * Returns 1 when our unexpired permit was returned, 0 otherwise.
 */
export const permitReleaseScript = defineScript(
  'permit-release',
  `${serverNowLua}local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[2] == '1' or redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('SPUBLISH', KEYS[3] .. ':released', 'released')
end
if tonumber(expiry) <= now then
  return 0
end
return 1
`,
);
