/**
 * deadbolt on solidis (`@vcms-io/solidis`): `createLocks(client, { subscriber })`.
 *
 * STAND-IN: `@vcms-io/solidis` cannot be installed in this repository's CI, so this example
 * runs on the solidis-shaped stand-in from `packages/solidis/test/solidis-stand-in.ts`, which
 * mimics solidis 0.3's client over a real Redis connection. With the real package, import
 * `SolidisFeaturedClient` from `@vcms-io/solidis/featured` instead; nothing else changes.
 *
 * solidis has no `duplicate()`, so wake-ups on release need `subscriber`: a function that
 * makes a new client to the same server. Call `locks.close()` before `quit()` on your client.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/adapter-solidis.ts
 */
import { createLocks } from '@deadbolt/solidis';
// With the real package: import { SolidisFeaturedClient } from '@vcms-io/solidis/featured';
import { SolidisFeaturedClient } from '../packages/solidis/test/solidis-stand-in.js';

const url = new URL(process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const connection = { host: url.hostname, port: Number(url.port || 6379) };
const client = new SolidisFeaturedClient(connection);
const locks = createLocks(client, {
  ttl: 10_000,
  wait: 5_000,
  subscriber: () => new SolidisFeaturedClient(connection),
});
const name = `adapter-demo:solidis:${process.pid}`;
try {
  const total = await locks.withLock(name, async (lock) => {
    const other = await locks.tryAcquire(name); // held: null, at once
    console.log(
      `solidis (stand-in): holding ${lock.key} (fence ${lock.fence}); a second try got ${other}`,
    );
    return 1 + 1;
  });
  console.log(
    `solidis (stand-in): withLock returned ${total}, lock free again: ${!(await locks.isLocked(name))}`,
  );
} finally {
  await locks.close();
  client.quit();
}
