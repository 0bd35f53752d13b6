import { defineScript } from './script.js';

/**
 * Reads a lock without changing it.
 *
 * KEYS[1] lock key, KEYS[2] fence counter.
 * Returns nil when the lock is free, else {pttl, fence} (pttl is -1 when the key has no expiry).
 */
export const inspectScript = defineScript(
  'inspect',
  `local pttl = redis.call('PTTL', KEYS[1])
if pttl == -2 then
  return nil
end
return {pttl, tonumber(redis.call('GET', KEYS[2]) or '0')}
`,
);
