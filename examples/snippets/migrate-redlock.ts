// Source of the "from redlock" code in docs/migrating.md. Type-checked, never run.
import { Redis } from 'ioredis';

const [a, b, c] = [new Redis(6379), new Redis(6380), new Redis(6381)];

// #region before-setup
import Redlock, { ExecutionError } from 'redlock';

// a, b, c: one ioredis client per independent Redis server

const redlock = new Redlock([a, b, c], {
  retryCount: 10,
  retryDelay: 200,
  retryJitter: 100,
  automaticExtensionThreshold: 500,
});

// #endregion

// #region after-setup
import { fromIoredis } from '@deadbolt/ioredis';
import { createRedlock, QuorumError } from '@deadbolt/redlock';

// a, b, c: the same ioredis clients, best with { maxRetriesPerRequest: null }

const locks = createRedlock([fromIoredis(a), fromIoredis(b), fromIoredis(c)], {
  wait: 2_000, // how long a held lock is waited for (redlock: retryCount × retryDelay)
});
// #endregion

// #region before-using
await redlock.using(['invoice:42'], 5_000, async (signal) => {
  await createInvoice();
  if (signal.aborted) throw signal.error; // extension failed: the lock may be gone
  await sendInvoice();
});
// #endregion

// #region after-using
await locks.withLock(
  'invoice:42',
  async (lock) => {
    await createInvoice();
    lock.signal.throwIfAborted(); // the lock was lost: throws the LockLostError
    await sendInvoice();
  },
  { ttl: 5_000 },
);
// #endregion

// #region before-manual
let lock = await redlock.acquire(['report'], 30_000);
try {
  await buildReport();
  lock = await lock.extend(30_000);
  await publishReport();
} catch (error) {
  if (error instanceof ExecutionError) console.error('no quorum', error.attempts);
  throw error;
} finally {
  await lock.release();
}
// #endregion

// #region after-manual
try {
  await using report = await locks.acquire('report', { ttl: 30_000 });
  await buildReport();
  await report.extend();
  await publishReport();
} catch (error) {
  if (QuorumError.isInstance(error)) console.error('no quorum', error.nodes);
  throw error;
}
// #endregion

declare function createInvoice(): Promise<void>;
declare function sendInvoice(): Promise<void>;
declare function buildReport(): Promise<void>;
declare function publishReport(): Promise<void>;
