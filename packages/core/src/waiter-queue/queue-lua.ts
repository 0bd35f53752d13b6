/**
 * Lua shared by the waiter-queue scripts.
 *
 * The queue of a lock is one sorted set, `<key>:queue`, under the lock's hash tag, holding two
 * entries per waiting process:
 * - its arrival: member `<processId>`, score = arrival time in server µs;
 * - its lease: member `lease:<processId>`, score = lease expiry in server ms.
 *
 * Leases score in ms and arrivals in µs, so every lease sorts before every arrival (ms since
 * 1970 stay below 1e14 until the year 5138; µs passed 1e14 in 1973): the head is the lowest
 * score from {@link ARRIVALS_FROM} up, and lapsed leases are the scores up to now. One key
 * means one expiry to keep: the key lives as long as its longest lease, and vanishes with
 * its last entry. An entry whose lease ran out is dropped by the next renewal or fair-mode
 * check that meets it; until then a release that finds its process gone (nobody subscribed to
 * its wake-up channel) wakes the next process instead.
 */

/** Scores at or above this are arrivals (µs); below it, lease expiries (ms). */
export const ARRIVALS_FROM = '100000000000000';

/**
 * Reads the server clock into `now` (ms) and `arrival` (µs), declared by the caller, unless
 * it was read already in this call.
 */
export const readQueueClockLua = `if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  arrival = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
`;

/** Declares `now` (ms) and `arrival` (µs) and sets them from the server clock. */
export const queueClockLua = `local now, arrival
${readQueueClockLua}`;

/** Drops the entries whose lease ran out (needs `now`). `queue` names a KEYS entry. */
export function dropLapsedLua(queue: string): string {
  return `local lapsed = redis.call('ZRANGEBYSCORE', ${queue}, '-inf', now)
if #lapsed > 0 then
  redis.call('ZREMRANGEBYSCORE', ${queue}, '-inf', now)
  for i = 1, #lapsed do
    lapsed[i] = string.sub(lapsed[i], 7)
  end
  for i = 1, #lapsed, 500 do
    redis.call('ZREM', ${queue}, unpack(lapsed, i, math.min(i + 499, #lapsed)))
  end
end
`;
}

/**
 * Keeps the queue key alive at least until `leaseEnd` (server ms; needs `leaseEnd`): sets the
 * expiry of a key that has none (one that this call's `ZADD` created: one command), else moves
 * it later only (`GT`).
 */
function outliveLua(queue: string): string {
  return `if redis.call('PEXPIREAT', ${queue}, leaseEnd, 'NX') == 0 then
  redis.call('PEXPIREAT', ${queue}, leaseEnd, 'GT')
end
`;
}

/**
 * Adds process `id` at the back with a lease of `lease` ms (needs `now` and `arrival`); an
 * entry already there keeps its place. The key lives at least as long as the new lease.
 */
export function enqueueLua(queue: string, id: string, lease: string): string {
  return `local leaseEnd = now + tonumber(${lease})
if redis.call('ZADD', ${queue}, 'NX', arrival, ${id}, leaseEnd, 'lease:' .. ${id}) > 0 then
  ${outliveLua(queue)}end
`;
}

/** Renews the lease of process `id`, putting it back at the back if it had lapsed. */
export function renewLua(queue: string, id: string, lease: string): string {
  return `local leaseEnd = now + tonumber(${lease})
redis.call('ZADD', ${queue}, 'NX', arrival, ${id})
redis.call('ZADD', ${queue}, leaseEnd, 'lease:' .. ${id})
${outliveLua(queue)}`;
}

/** Removes process `id` from the queue (the key goes with its last entry). */
export function dequeueLua(queue: string, id: string): string {
  return `redis.call('ZREM', ${queue}, ${id}, 'lease:' .. ${id})
`;
}

/** The process at the head of the queue, or nil: a Lua expression. */
export function headOfLua(queue: string): string {
  return `redis.call('ZRANGEBYSCORE', ${queue}, '${ARRIVALS_FROM}', '+inf', 'LIMIT', '0', '1')[1]`;
}

/** Sets `head` to the process at the head of the queue, or nil. */
export function headLua(queue: string): string {
  return `local head = ${headOfLua(queue)}
`;
}

/**
 * Wakes one waiting process: the head of the queue, or, when nobody listens on the head's
 * channel (its process died, or it polls), the next one, up to three.
 */
export function wakeHeadLua(lockKey: string, queue: string): string {
  return `for _, id in ipairs(redis.call('ZRANGEBYSCORE', ${queue}, '${ARRIVALS_FROM}', '+inf', 'LIMIT', '0', '3')) do
  if redis.call('SPUBLISH', ${lockKey} .. ':wake:' .. id, 'released') > 0 then
    break
  end
end
`;
}
