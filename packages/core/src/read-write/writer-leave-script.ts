import { defineScript } from '../script.js';

/**
 * Withdraws a waiting writer that gave up (timeout, abort, error). When no writer waits any
 * more, readers held back by it are woken.
 *
 * KEYS[1] waiting writers, KEYS[2] writer key (its `:released` channel). ARGV[1] token.
 * Returns 1 when the writer was registered.
 */
export const writerLeaveScript = defineScript(
  'writer-leave',
  `local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('SPUBLISH', KEYS[2] .. ':released', 'released')
end
return removed
`,
);
