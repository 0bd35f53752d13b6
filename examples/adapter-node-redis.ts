/**
 * deadbolt on node-redis (the `redis` package, 5 or 6): `createLocks(client)`.
 *
 * Pass a client that is already connected. `@deadbolt/node-redis` re-exports all of
 * `@deadbolt/core`; it accepts `createClient()` and `createCluster()` clients, on RESP2 or
 * RESP3. Release messages use one extra connection (`client.duplicate()`), opened the first
 * time a lock is contended. `locks.close()` never closes your client.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/adapter-node-redis.ts
 */
import { createLocks } from '@deadbolt/node-redis';
import { createClient } from 'redis';

const url = process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const client = await createClient({ url }).on('error', console.error).connect();
const locks = createLocks(client, { ttl: 10_000, wait: 5_000 });
const name = `adapter-demo:node-redis:${process.pid}`;
try {
  const total = await locks.withLock(name, async (lock) => {
    const other = await locks.tryAcquire(name); // held: null, at once
    console.log(`node-redis: holding ${lock.key} (fence ${lock.fence}); a second try got ${other}`);
    return 1 + 1;
  });
  console.log(
    `node-redis: withLock returned ${total}, lock free again: ${!(await locks.isLocked(name))}`,
  );
} finally {
  await locks.close();
  await client.close();
}
