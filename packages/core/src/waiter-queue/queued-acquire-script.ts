import { defineScript } from '../script.js';
import {
  dequeueLua,
  dropLapsedLua,
  enqueueLua,
  headOfLua,
  readQueueClockLua,
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
 * and the fence `INCR`, with no queue bookkeeping. The script runs straight through (no Lua
 * closures, which would be created on every call): the first part decides, setting `refused`
 * to the ms to report when the lock is not ours; the last part updates the queue. Fair mode
 * looks for a head only in a queue that `EXISTS`: on a missing key that costs Redis a fraction
 * of the lookup, and a fair lock is mostly free with nobody queued.
 */
export const queuedAcquireScript = defineScript(
  'queued-acquire',
  `local now, arrival, refused
local holder
if ARGV[5] ~= '1' then
  holder = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2], 'GET')
else
  holder = redis.call('GET', KEYS[1])
end
if holder == ARGV[1] then
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
if holder ~= false then
  refused = redis.call('PTTL', KEYS[1])
elseif redis.call('EXISTS', KEYS[1] .. ':cancelled:' .. ARGV[1]) == 1 then
  if ARGV[5] ~= '1' then
    redis.call('DEL', KEYS[1])
  end
  return {0, 0}
elseif ARGV[5] == '1' then
  local head
  if redis.call('EXISTS', KEYS[3]) == 1 then
    head = ${headOfLua('KEYS[3]')}
  end
  if head ~= nil and head ~= ARGV[3] then
    -- Someone else is first; unless their lease ran out (a crashed process) the lock is theirs.
    ${readQueueClockLua}${dropLapsedLua('KEYS[3]')}    head = ${headOfLua('KEYS[3]')}
    if head ~= nil and head ~= ARGV[3] then
      local lease = tonumber(redis.call('ZSCORE', KEYS[3], 'lease:' .. head))
      if lease == nil then
        -- An entry without a lease (left by hand) would block forever: drop it, look again.
        redis.call('ZREM', KEYS[3], head)
        lease = now + 1
      end
      refused = math.max(1, lease - now)
    end
  end
  if refused == nil then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  end
end
if refused ~= nil then
  if ARGV[6] == '1' then
    ${readQueueClockLua}${enqueueLua('KEYS[3]', 'ARGV[3]', 'ARGV[4]')}  end
  return {0, refused}
end
if ARGV[7] == '1' or ARGV[8] == '1' then
  ${dequeueLua('KEYS[3]', 'ARGV[3]')}end
if ARGV[7] == '1' then
  ${readQueueClockLua}${enqueueLua('KEYS[3]', 'ARGV[3]', 'ARGV[4]')}end
return {1, redis.call('INCR', KEYS[2])}
`,
);
