import { defineScript } from './script.js';
import { wakeHeadLua } from './waiter-queue/queue-lua.js';

/**
 * Cancels an acquire whose outcome its caller will never see (aborted, timed out, or failed
 * with a connection error): any later execution of it with this token is refused, and if it
 * already took the lock, the lock is released and the head of the waiter queue woken.
 *
 * Needed because a driver may execute a command again after its caller gave up on it (ioredis
 * resends in-flight commands after a reconnect, and a Cluster can resend on another
 * connection), so releasing once when the first reply lands is not enough.
 *
 * KEYS[1] lock key, KEYS[2] queue. ARGV[1] token, ARGV[2] ttl ms (how
 * long the refusal lasts: a resent acquire could not grant longer than that anyway).
 * Returns 1 when it released a lock the cancelled acquire had taken.
 */
export const cancelScript = defineScript(
  'cancel',
  `redis.call('SET', KEYS[1] .. ':cancelled:' .. ARGV[1], '1', 'PX', ARGV[2])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('SPUBLISH', KEYS[1] .. ':released', 'released')
${wakeHeadLua('KEYS[1]', 'KEYS[2]')}return 1
`,
);
