/**
 * deadbolt on ioredis (5 or 6): `createLocks(new Redis(url))`.
 *
 * `@deadbolt/ioredis` re-exports all of `@deadbolt/core` and accepts an ioredis `Redis` or
 * `Cluster` as it is. Release messages use one extra connection (`duplicate()`), opened the
 * first time a lock is contended. `locks.close()` never closes your client.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/adapter-ioredis.ts
 */
import { createLocks } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const url = process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url);
const locks = createLocks(redis, { ttl: 10_000, wait: 5_000 });
const name = `adapter-demo:ioredis:${process.pid}`;
try {
  const total = await locks.withLock(name, async (lock) => {
    const other = await locks.tryAcquire(name); // held: null, at once
    console.log(`ioredis: holding ${lock.key} (fence ${lock.fence}); a second try got ${other}`);
    return 1 + 1;
  });
  console.log(
    `ioredis: withLock returned ${total}, lock free again: ${!(await locks.isLocked(name))}`,
  );
} finally {
  await locks.close();
  redis.disconnect();
}
