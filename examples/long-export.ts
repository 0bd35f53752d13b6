/**
 * A long export that stays locked by auto-extension, and stops when the lock is lost.
 *
 * `withLock` extends the lock every ttl/3 while the export runs, so a job can run far longer
 * than its ttl, and the ttl only decides how soon a crashed holder's lock frees up. The lock's
 * `signal` is aborted the moment the lock is lost; the export hands it to every piece of I/O
 * (as you would to `fetch` or a database driver) and so stops at once instead of writing on
 * without the lock. To show that, this example deletes the lock's key halfway through, as a
 * Redis failover to a replica that missed the key would.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/long-export.ts
 */
import { createLocks, LockLostError } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const url = process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url);
let extensions = 0;
const locks = createLocks(redis, {
  onEvent: (event) => {
    if (event.type === 'extended') extensions++;
  },
});

/** Writes one chunk of the export; rejects with `signal.reason` when aborted, like `fetch`. */
function writeChunk(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(resolve, 200);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const ttl = 900;
const started = performance.now();
try {
  await locks.withLock(
    `export:customers:${process.pid}`,
    async (lock) => {
      for (let chunk = 1; chunk <= 20; chunk++) {
        await writeChunk(lock.signal);
        const elapsed = Math.round(performance.now() - started);
        console.log(
          `chunk ${chunk} written at ${elapsed} ms (ttl ${ttl} ms, ${extensions} extensions)`,
        );
        if (chunk === 8) {
          await redis.del(lock.key); // the lock is lost behind the export's back
          console.log(`the lock's key was deleted after chunk ${chunk}`);
        }
      }
    },
    { ttl },
  );
} catch (error) {
  if (!LockLostError.isInstance(error)) throw error;
  console.log(`export stopped: ${error.message}`);
} finally {
  await locks.close();
  redis.disconnect();
}
