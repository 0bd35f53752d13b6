/**
 * Lua shared by the waiter-queue scripts. The queue of a lock is two sorted sets under its
 * hash tag: `<key>:queue` (process id -> arrival time in server µs, so the lowest score is
 * the head) and `<key>:queue:leases` (process id -> lease expiry in server ms). An entry
 * whose lease ran out is dropped by whichever script runs next.
 */

/** Sets `now` (ms) and `arrival` (µs) from the server clock. */
export const queueClockLua = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local arrival = tonumber(t[1]) * 1000000 + tonumber(t[2])
`;

/** Drops entries whose lease ran out. `queue` and `leases` name KEYS entries. */
export function dropLapsedLua(queue: string, leases: string): string {
  return `local lapsed = redis.call('ZRANGEBYSCORE', ${leases}, '-inf', now)
if #lapsed > 0 then
  redis.call('ZREMRANGEBYSCORE', ${leases}, '-inf', now)
  for i = 1, #lapsed, 500 do
    redis.call('ZREM', ${queue}, unpack(lapsed, i, math.min(i + 499, #lapsed)))
  end
end
`;
}

/** Adds or refreshes entry `id` with a lease of `lease` ms; keeps the keys alive as long. */
export function enqueueLua(queue: string, leases: string, id: string, lease: string): string {
  return `redis.call('ZADD', ${queue}, 'NX', arrival, ${id})
redis.call('ZADD', ${leases}, now + tonumber(${lease}), ${id})
for _, k in ipairs({${queue}, ${leases}}) do
  if redis.call('PTTL', k) < tonumber(${lease}) then
    redis.call('PEXPIRE', k, ${lease})
  end
end
`;
}

/** Publishes a wake-up to the process at the head of the queue, if any. */
export function wakeHeadLua(lockKey: string, queue: string): string {
  return `local head = redis.call('ZRANGE', ${queue}, 0, 0)[1]
if head then
  redis.call('SPUBLISH', ${lockKey} .. ':wake:' .. head, 'released')
end
`;
}
