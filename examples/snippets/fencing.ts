// Source of the code in docs/safety.md. Type-checked, never run.
import { createLocks } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const locks = createLocks(new Redis());
const accountId = 'acct-42';
const amount = 1_000;

// #region sql
await locks.withLock(`account:${accountId}`, async (lock) => {
  const balance = await readBalance(accountId);
  // The store keeps the highest fence it has seen per row and refuses older ones, so a
  // holder that stalled past its lock (GC pause, frozen VM) cannot write after a newer one.
  const result = await db.query(
    'UPDATE accounts SET balance = $1, fence = $2 WHERE id = $3 AND fence <= $2',
    [balance - amount, lock.fence, accountId],
  );
  if (result.rowCount === 0) throw new Error(`stale lock holder (fence ${lock.fence})`);
});
// #endregion

// #region redis-store
const store = new Redis(process.env.STORE_URL ?? 'redis://127.0.0.1:6380');

// Writes a value only if no write with a higher fence came first; returns 1 if written.
const fencedSet = `
local seen = tonumber(redis.call('HGET', KEYS[1], 'fence') or '-1')
if tonumber(ARGV[1]) < seen then return 0 end
redis.call('HSET', KEYS[1], 'fence', ARGV[1], 'value', ARGV[2])
return 1`;

await locks.withLock('report:monthly', async (lock) => {
  const report = await buildReport();
  const written = await store.eval(fencedSet, 1, 'report:monthly', lock.fence, report);
  if (written !== 1) throw new Error(`stale lock holder (fence ${lock.fence})`);
});
// #endregion

// #region signal
await locks.withLock('export:customers', async (lock) => {
  for (const page of await customerPages()) {
    // Hand the signal to every piece of I/O: once the lock is lost, the next call rejects
    // with the LockLostError instead of running without the lock.
    await fetch('https://exports.example.com/upload', {
      method: 'POST',
      body: JSON.stringify(page),
      signal: lock.signal,
    });
  }
});
// #endregion

declare const db: {
  query(sql: string, params: unknown[]): Promise<{ rowCount: number }>;
};
declare function readBalance(accountId: string): Promise<number>;
declare function buildReport(): Promise<string>;
declare function customerPages(): Promise<unknown[]>;
