/**
 * The fenced store: a resource that protects itself with fencing tokens, as a lock's user
 * should. It lives on a Redis of its own (never faulted), next to the unfenced counter.
 *
 * KEYS[1]  a hash: `max` (highest fence seen), `value` (last accepted write), `accepted` and
 *          `rejected` (counts of writes)
 * ARGV[1]  `begin` (a holder registers its fence when it enters) or `write`
 * ARGV[2]  the holder's fence
 * ARGV[3]  the value to write (`write` only)
 *
 * An access whose fence is lower than `max` is rejected (a rejected write is counted); any
 * other raises `max` to its fence, and a write stores its value.
 * Returns `{1, max}` when accepted and `{0, max}` when rejected, `max` as it is afterwards.
 */
export const FENCED_STORE_SCRIPT = `
local fence = tonumber(ARGV[2])
local max = tonumber(redis.call('HGET', KEYS[1], 'max') or '-1')
if fence < max then
  if ARGV[1] == 'write' then redis.call('HINCRBY', KEYS[1], 'rejected', 1) end
  return {0, max}
end
redis.call('HSET', KEYS[1], 'max', ARGV[2])
if ARGV[1] == 'write' then
  redis.call('HSET', KEYS[1], 'value', ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'accepted', 1)
end
return {1, fence}
`;
