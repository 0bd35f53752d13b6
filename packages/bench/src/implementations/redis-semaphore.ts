import { Mutex, RedlockMutex } from 'redis-semaphore';
import { connectIoredis } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { Implementation } from './lock-client.js';

/**
 * redis-semaphore's `Mutex` (one node) and `RedlockMutex` (N nodes), one `Mutex` object per
 * acquisition as its README shows. Defaults: `SET NX` retried every 10 ms (so it has no
 * separate 10 ms variant) for up to 10 s; a refresh timer extends the lock every 0.8 × ttl.
 */
export const redisSemaphore: Implementation = {
  id: 'redis-semaphore',
  label: 'redis-semaphore',
  kind: 'library',
  package: packageLabel('redis-semaphore'),
  client: 'ioredis',
  tuning: 'defaults',
  waiting: 'polls every 10 ms, up to 10 s',
  single: true,
  quorum: true,
  autoExtend: true,
  async open(endpoints) {
    const clients = await Promise.all(endpoints.map(connectIoredis));
    const [first] = clients;
    const mutexFor = (key: string, ttl: number) =>
      clients.length === 1
        ? new Mutex(first!, key, { lockTimeout: ttl })
        : new RedlockMutex(clients, key, { lockTimeout: ttl });
    const acquire = async (key: string, ttl: number) => {
      const mutex = mutexFor(key, ttl);
      await mutex.acquire();
      return { release: () => mutex.release() };
    };
    return {
      acquire,
      hold: acquire, // The refresh timer runs on every acquired Mutex.
      async close() {
        for (const client of clients) client.disconnect();
      },
    };
  },
};
