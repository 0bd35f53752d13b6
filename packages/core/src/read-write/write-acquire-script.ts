import { defineScript } from '../script.js';
import { dropExpiredLua, serverNowLua } from '../server-time.js';

/**
 * Takes the write hold when there is no writer and no unexpired reader. A refused writer
 * registers as waiting (with a lease on the server's clock) so that new readers hold back.
 *
 * KEYS[1] writer key, KEYS[2] readers, KEYS[3] readers' fences, KEYS[4] waiting writers,
 * KEYS[5] fence counter. ARGV[1] token, ARGV[2] ttl ms, ARGV[3] waiting lease ms (0: do not
 * register, for a single attempt).
 * Returns {1, fence} when granted (again, for a resend with the same token), else
 * {0, ms until the writer's hold or the earliest reader's hold ends}.
 */
export const writeAcquireScript = defineScript(
  'write-acquire',
  `${serverNowLua}${dropExpiredLua('KEYS[2]', 'KEYS[3]')}redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
local writer = redis.call('GET', KEYS[1])
if writer == ARGV[1] then
  return {1, tonumber(redis.call('GET', KEYS[5]) or '0')}
end
if writer == false and redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('ZREM', KEYS[4], ARGV[1])
  return {1, redis.call('INCR', KEYS[5])}
end
local lease = tonumber(ARGV[3])
if lease > 0 then
  redis.call('ZADD', KEYS[4], now + lease, ARGV[1])
  local last = redis.call('ZRANGE', KEYS[4], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[4], math.max(1, tonumber(last[2]) - now))
end
if writer then
  return {0, redis.call('PTTL', KEYS[1])}
end
local reader = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
return {0, math.max(0, tonumber(reader[2]) - now)}
`,
);
