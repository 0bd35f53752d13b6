// Source of the "from hand-rolled SET NX" code in docs/migrating.md. Type-checked, never run.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

const redis = new Redis();

// #region before
const token = randomUUID();
const ok = await redis.set('lock:report', token, 'PX', 30_000, 'NX');
if (ok === 'OK') {
  try {
    await buildReport(); // if this outlives 30 s, a second process gets in unnoticed
  } finally {
    // Compare-and-delete, or a late finisher deletes the next holder's lock.
    await redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      'lock:report',
      token,
    );
  }
}

// #endregion

// #region after
import { createLocks } from '@deadbolt/ioredis';

const locks = createLocks(redis, { prefix: 'lock:' });
const report = await locks.tryAcquire('report', { ttl: 30_000, autoExtend: true });
if (report !== null) {
  try {
    await buildReport(report.signal); // extended every 10 s; aborted if the lock is lost
  } finally {
    await report.release(); // deletes the key only while it still holds our token
  }
}
// #endregion

declare function buildReport(signal?: AbortSignal): Promise<void>;
