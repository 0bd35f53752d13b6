import { defineScript } from '../script.js';
import { dropExpiredLua, expireWithLastLua, serverNowLua } from '../server-time.js';

/**
 * Takes a read hold: allowed while no writer holds the lock and no writer is waiting
 * (waiting writers block new readers, so a stream of readers cannot starve them).
 *
 * KEYS[1] writer key, KEYS[2] readers (sorted set: token -> expiry in server ms),
 * KEYS[3] readers' fences, KEYS[4] waiting writers (sorted set: token -> lease expiry),
 * KEYS[5] fence counter. ARGV[1] token, ARGV[2] ttl ms.
 * Returns {1, fence} when granted, else {0, ms until the blocking writer's hold or lease ends}.
 */
export const readAcquireScript = defineScript(
  'read-acquire',
  `${serverNowLua}${dropExpiredLua('KEYS[2]', 'KEYS[3]')}redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return {1, tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('PTTL', KEYS[1])}
end
local writer = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
if writer[2] then
  return {0, math.max(0, tonumber(writer[2]) - now)}
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
local fence = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[3], ARGV[1], fence)
${expireWithLastLua('KEYS[2]', 'KEYS[3]')}
return {1, fence}
`,
);
