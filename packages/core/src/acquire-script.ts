import { defineScript } from './script.js';

/**
 * Takes a free lock, or reports how long the current holder still has.
 *
 * KEYS[1] lock key (holds the owner's token), KEYS[2] fence counter (never expires).
 * ARGV[1] token, ARGV[2] ttl in ms.
 * Returns {1, fence} when the lock is ours, {0, pttl} when another owner holds it
 * (pttl is -1 when the key has no expiry).
 *
 * A resend with the same token (ioredis resends in-flight commands after a reconnect) finds
 * its own token and succeeds again with the same fence: only a free lock bumps the counter,
 * so the counter still holds the fence this token got. A cancelled token is always refused
 * (the cancel script deleted the lock if this token held it; a late copy that finds the lock
 * free takes it and gives it straight back).
 *
 * `SET NX GET` (Redis 7.0) takes a free lock and reads the holder of a taken one in one
 * command: a grant is `SET`, the cancellation check and the fence `INCR`.
 */
export const acquireScript = defineScript(
  'acquire',
  `local holder = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2], 'GET')
if holder == false then
  if redis.call('EXISTS', KEYS[1] .. ':cancelled:' .. ARGV[1]) == 1 then
    redis.call('DEL', KEYS[1])
    return {0, 0}
  end
  return {1, redis.call('INCR', KEYS[2])}
end
if holder == ARGV[1] then
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
return {0, redis.call('PTTL', KEYS[1])}
`,
);
