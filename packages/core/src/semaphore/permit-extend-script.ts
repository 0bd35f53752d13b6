import { defineScript } from '../script.js';
import { expireWithLastLua, serverNowLua } from '../server-time.js';

/**
 * Extends a permit (a semaphore's, or a read hold's) that has not expired yet.
 *
 * KEYS[1] holders, KEYS[2] fences. ARGV[1] token, ARGV[2] ttl ms.
 * Returns 1 when extended, 0 when the permit is gone or had expired.
 */
export const permitExtendScript = defineScript(
  'permit-extend',
  `${serverNowLua}local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry or tonumber(expiry) <= now then
  if expiry then
    redis.call('ZREM', KEYS[1], ARGV[1])
    redis.call('HDEL', KEYS[2], ARGV[1])
  end
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
${expireWithLastLua('KEYS[1]', 'KEYS[2]')}
return 1
`,
);
