// Source of the code in README.md ("In 30 seconds"). Type-checked, never run.
// #region quick-start
import { createLocks } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const locks = createLocks(new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'));

await locks.withLock(
  'payment:42',
  async (lock) => {
    // lock.signal aborts if the lock is lost; the lock is extended while this runs.
    await charge(order, { signal: lock.signal, fence: lock.fence });
  },
  { ttl: 10_000, wait: 5_000 },
);

// #endregion

// #region acquire
import { LockTimeoutError } from '@deadbolt/ioredis';

try {
  await using report = await locks.acquire('report', { ttl: 60_000, wait: 2_000 });
  await buildReport({ signal: report.signal });
} catch (error) {
  if (!LockTimeoutError.isInstance(error)) throw error;
  console.log(`someone else is building it (waited ${error.waitedMs} ms)`);
}

const nightly = await locks.tryAcquire('cron:nightly', { ttl: 300_000 }); // Lock | null
if (nightly !== null) await runNightlyJob();
// #endregion

interface Order {
  readonly id: string;
}
declare const order: Order;
declare function charge(
  order: Order,
  options: { signal: AbortSignal; fence: number },
): Promise<void>;
declare function buildReport(options: { signal: AbortSignal }): Promise<void>;
declare function runNightlyJob(): Promise<void>;
