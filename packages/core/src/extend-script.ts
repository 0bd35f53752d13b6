import { defineScript } from './script.js';

/**
 * Resets the lock's expiry if it still holds our token.
 *
 * KEYS[1] lock key. ARGV[1] token, ARGV[2] new ttl in ms.
 * Returns 1 when extended, 0 when the key is gone, -1 when another owner holds it.
 */
export const extendScript = defineScript(
  'extend',
  `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder == false then
  return 0
end
return -1
`,
);
