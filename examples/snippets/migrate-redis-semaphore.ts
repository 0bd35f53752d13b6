// Source of the "from redis-semaphore" code in docs/migrating.md. Type-checked, never run.
import { Redis } from 'ioredis';

const redis = new Redis();
const nodes = [new Redis(6379), new Redis(6380), new Redis(6381)];

// #region before
import { Mutex, RedlockMutex, Semaphore } from 'redis-semaphore';

// redis: an ioredis client; nodes: one ioredis client per independent Redis server

const mutex = new Mutex(redis, 'report', {
  lockTimeout: 30_000,
  acquireTimeout: 5_000,
  onLockLost: (error) => console.error(error),
});
await mutex.acquire();
try {
  await buildReport();
} finally {
  await mutex.release();
}

const exports = new Semaphore(redis, 'exports', 3, { lockTimeout: 60_000 });
await exports.acquire();
try {
  await runExport();
} finally {
  await exports.release();
}

const quorumMutex = new RedlockMutex(nodes, 'invoice-run');
if (await quorumMutex.tryAcquire()) {
  try {
    await runInvoices();
  } finally {
    await quorumMutex.release();
  }
}

// #endregion

// #region after
import { createLocks, fromIoredis } from '@deadbolt/ioredis';
import { createRedlock } from '@deadbolt/redlock';

const locks = createLocks(redis);

await locks.withLock(
  'report',
  async (lock) => {
    await buildReport(lock.signal); // aborted if the lock is lost: no onLockLost callback
  },
  { ttl: 30_000, wait: 5_000 },
);

await locks.semaphore('exports', { limit: 3 }).withPermit(() => runExport(), { ttl: 60_000 });

const quorum = createRedlock(nodes.map((node) => fromIoredis(node)));
const invoices = await quorum.tryAcquire('invoice-run');
if (invoices !== null) {
  try {
    await runInvoices();
  } finally {
    await invoices.release();
  }
}
// #endregion

declare function buildReport(signal?: AbortSignal): Promise<void>;
declare function runExport(): Promise<void>;
declare function runInvoices(): Promise<void>;
