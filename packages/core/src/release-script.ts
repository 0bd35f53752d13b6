import { defineScript } from './script.js';

/**
 * Deletes the lock if, and only if, it still holds our token, and wakes waiters.
 *
 * KEYS[1] lock key. ARGV[1] token.
 * Returns 1 when our lock was deleted, 0 when the key was gone or held by another owner.
 *
 * The wake-up goes to the sharded channel `<key>:released`, named after the key as Redis
 * sees it (a client-side key prefix included, as it is for the subscriber). It shares the
 * key's hash tag, so on a cluster the message stays on the node that owns the lock's slot.
 */
export const releaseScript = defineScript(
  'release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SPUBLISH', KEYS[1] .. ':released', 'released')
  return 1
end
return 0
`,
);
