import type { HoldOps } from './hold-ops.js';
import type { LockBackend } from './lock-backend.js';
import type { LockKeys } from './lock-keys.js';

/** A mutex on one name, through a {@link LockBackend}. */
export function mutexOps(backend: LockBackend, keys: LockKeys): HoldOps {
  return {
    name: keys.name,
    key: keys.key,
    channel: keys.channel,
    acquire: (token, ttl) => backend.acquire(keys, token, ttl),
    release: (token) => backend.release(keys, token),
    extend: (token, ttl) => backend.extend(keys, token, ttl),
  };
}
