import { defineScript } from '../script.js';
import { dropLapsedLua, enqueueLua, queueClockLua } from './queue-lua.js';

/**
 * The mutex acquire with a waiter queue.
 *
 * KEYS[1] lock key, KEYS[2] fence counter, KEYS[3] queue, KEYS[4] queue leases.
 * ARGV[1] token, ARGV[2] ttl ms, ARGV[3] process id, ARGV[4] lease ms, ARGV[5] '1' for fair
 * (a free lock goes only to the head of the queue), ARGV[6] '1' to join the queue when
 * refused, ARGV[7] '1' when other waiters of this process stay behind (its entry then moves
 * to the back of the queue instead of leaving it).
 * Returns {1, fence} when the lock is ours (again, for a resend with the same token), or
 * {0, ms}: the holder's remaining ttl, or in fair mode for a free lock, the head's lease left.
 * A token that its caller cancelled (see the cancel script) is always refused, so a copy of
 * this call that a driver resends late cannot take the lock for a caller that left.
 */
export const queuedAcquireScript = defineScript(
  'queued-acquire',
  `if redis.call('EXISTS', KEYS[1] .. ':cancelled:' .. ARGV[1]) == 1 then
  return {0, 0}
end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
if holder == false and ARGV[7] ~= '1' and redis.call('EXISTS', KEYS[3]) == 0 then
  -- Nobody waits: no queue bookkeeping (an uncontended acquire stays this cheap).
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, redis.call('INCR', KEYS[2])}
end
${queueClockLua}${dropLapsedLua('KEYS[3]', 'KEYS[4]')}local head = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
if holder == false and (ARGV[5] ~= '1' or head == nil or head == ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('ZREM', KEYS[3], ARGV[3])
  redis.call('ZREM', KEYS[4], ARGV[3])
  if ARGV[7] == '1' then
    ${enqueueLua('KEYS[3]', 'KEYS[4]', 'ARGV[3]', 'ARGV[4]')}
  end
  return {1, redis.call('INCR', KEYS[2])}
end
if ARGV[6] == '1' then
  ${enqueueLua('KEYS[3]', 'KEYS[4]', 'ARGV[3]', 'ARGV[4]')}
end
if holder == false then
  local lease = redis.call('ZSCORE', KEYS[4], head)
  return {0, math.max(1, tonumber(lease) - now)}
end
return {0, redis.call('PTTL', KEYS[1])}
`,
);
