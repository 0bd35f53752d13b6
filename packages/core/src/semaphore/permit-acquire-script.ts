import { defineScript } from '../script.js';
import { dropExpiredLua, expireWithLastLua, serverNowLua } from '../server-time.js';

/**
 * Takes a semaphore permit if fewer than `limit` unexpired permits are out.
 *
 * KEYS[1] holders (sorted set: token -> expiry in server ms), KEYS[2] fences (hash: token ->
 * fence), KEYS[3] fence counter. ARGV[1] token, ARGV[2] ttl ms, ARGV[3] limit.
 * Returns {1, fence} when granted (again, for a resend with the same token), else
 * {0, ms until the earliest permit expires}.
 *
 * Permits expire one by one on the server's clock: expired members are dropped first.
 */
export const permitAcquireScript = defineScript(
  'permit-acquire',
  `${serverNowLua}${dropExpiredLua('KEYS[1]', 'KEYS[2]')}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return {1, tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')}
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  local fence = redis.call('INCR', KEYS[3])
  redis.call('HSET', KEYS[2], ARGV[1], fence)
  ${expireWithLastLua('KEYS[1]', 'KEYS[2]')}
  return {1, fence}
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(0, tonumber(first[2]) - now)}
`,
);
