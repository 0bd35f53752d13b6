/**
 * Redlock over 3 independent Redis servers: `createRedlock`.
 *
 * A lock is held when a majority of the servers (2 of 3) granted it, so one server can crash,
 * freeze or be restarted without losing the lock or stopping anyone. The API is the same
 * `Locks` as on one server. Nodes may use different clients: here two use ioredis and one uses
 * node-redis. The three servers must be independent masters, not replicas of one another.
 *
 * Run: REDIS_URLS=redis://10.0.0.1:6379,redis://10.0.0.2:6379,redis://10.0.0.3:6379 \
 *        node --import tsx examples/redlock-3-nodes.ts
 */
import { fromIoredis } from '@deadbolt/ioredis';
import { fromNodeRedis } from '@deadbolt/node-redis';
import { createRedlock, QuorumError } from '@deadbolt/redlock';
import { Redis } from 'ioredis';
import { createClient } from 'redis';

const urls = (process.argv[2] ?? process.env.REDIS_URLS ?? '').split(',').filter(Boolean);
if (urls.length !== 3) {
  console.error('Give the 3 servers as REDIS_URLS=redis://a:6379,redis://b:6379,redis://c:6379');
  process.exit(2);
}
const [urlA, urlB, urlC] = urls as [string, string, string];

// ioredis: keep commands queued while a node is away (redlock bounds every call itself), so
// the release that undoes a late grant is never dropped.
const a = new Redis(urlA, { maxRetriesPerRequest: null });
const b = new Redis(urlB, { maxRetriesPerRequest: null });
const c = await createClient({ url: urlC })
  .on('error', () => {})
  .connect();

const locks = createRedlock([fromIoredis(a), fromIoredis(b), fromNodeRedis(c)], {
  ttl: 10_000,
});
const name = `invoice-run:${process.pid}`;
try {
  await locks.withLock(name, async (lock) => {
    console.log(`held on a quorum of 3 nodes, fence ${lock.fence}, ${lock.remaining()} ms valid`);
    console.log(`isLocked while held: ${await locks.isLocked(name)}`);
  });
  console.log(`isLocked after withLock: ${await locks.isLocked(name)}`);
} catch (error) {
  // Too many nodes down: the error lists what each node did ('timeout', 'error', ...).
  if (QuorumError.isInstance(error)) console.error(error.nodes);
  throw error;
} finally {
  await locks.close();
  a.disconnect();
  b.disconnect();
  await c.close();
}
