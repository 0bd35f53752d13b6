import { defineScript } from '../script.js';
import {
  dequeueLua,
  dropLapsedLua,
  enqueueLua,
  headLua,
  headOfLua,
  queueClockLua,
} from './queue-lua.js';

/**
 * The mutex acquire with a waiter queue.
 *
 * KEYS[1] lock key, KEYS[2] fence counter, KEYS[3] queue.
 * ARGV[1] token, ARGV[2] ttl ms, ARGV[3] process id, ARGV[4] lease ms, ARGV[5] '1' for fair
 * (a free lock goes only to the head of the queue), ARGV[6] '1' to join the queue when
 * refused, ARGV[7] '1' when other waiters of this process stay behind (its entry then moves
 * to the back of the queue instead of leaving it), ARGV[8] '1' when this process may be
 * queued (a success then takes its entry out).
 * Returns {1, fence} when the lock is ours (again, for a resend with the same token), or
 * {0, ms}: the holder's remaining ttl, or in fair mode for a free lock, the head's lease left.
 * A token that its caller cancelled (see the cancel script) is always refused, so a copy of
 * this call that a driver resends late cannot take the lock for a caller that left.
 *
 * Default mode tries `SET NX` first: an uncontended acquire is `SET`, the cancellation check
 * and the fence `INCR`, with no queue bookkeeping.
 */
export const queuedAcquireScript = defineScript(
  'queued-acquire',
  `local cancelled = KEYS[1] .. ':cancelled:' .. ARGV[1]
local function granted()
  if ARGV[7] == '1' or ARGV[8] == '1' then
    ${dequeueLua('KEYS[3]', 'ARGV[3]')}  end
  if ARGV[7] == '1' then
    ${queueClockLua}${enqueueLua('KEYS[3]', 'ARGV[3]', 'ARGV[4]')}  end
  return {1, redis.call('INCR', KEYS[2])}
end
local function refused(ms)
  if ARGV[6] == '1' then
    ${queueClockLua}${enqueueLua('KEYS[3]', 'ARGV[3]', 'ARGV[4]')}  end
  return {0, ms}
end
if ARGV[5] ~= '1' then
  local holder = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2], 'GET')
  if holder == false then
    if redis.call('EXISTS', cancelled) == 1 then
      redis.call('DEL', KEYS[1])
      return {0, 0}
    end
    return granted()
  end
  if holder == ARGV[1] then
    return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
  end
  return refused(redis.call('PTTL', KEYS[1]))
end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
if holder ~= false then
  return refused(redis.call('PTTL', KEYS[1]))
end
if redis.call('EXISTS', cancelled) == 1 then
  return {0, 0}
end
${headLua('KEYS[3]')}if head ~= nil and head ~= ARGV[3] then
  -- Someone else is first; unless their lease ran out (a crashed process) the lock is theirs.
  ${queueClockLua}${dropLapsedLua('KEYS[3]')}  head = ${headOfLua('KEYS[3]')}
  if head ~= nil and head ~= ARGV[3] then
    local lease = tonumber(redis.call('ZSCORE', KEYS[3], 'lease:' .. head))
    if lease == nil then
      -- An entry without a lease (left by hand) would block forever: drop it, look again.
      redis.call('ZREM', KEYS[3], head)
      lease = now + 1
    end
    return refused(math.max(1, lease - now))
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return granted()
`,
);
