import {
  createLock,
  createRedlock,
  IoredisAdapter,
  type Lock,
  type LockHandle,
} from 'redlock-universal';
import { connectIoredis } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { HeldLock, Implementation, Tuning } from './lock-client.js';

/**
 * redlock-universal: `createLock` on one node, `createRedlock` on N, through its ioredis
 * adapter; one lock object per key, reused, as its README shows. Defaults: 3 retries 100 ms
 * apart (200 ms for `createRedlock`), a 5 s per-command timeout. `retry 10 ms`: retryDelay 10.
 */
export function redlockUniversal(tuning: Tuning): Implementation {
  const retry = tuning === 'defaults' ? {} : { retryDelay: 10 };
  return {
    id: tuning === 'defaults' ? 'redlock-universal' : 'redlock-universal-retry10',
    label: tuning === 'defaults' ? 'redlock-universal' : 'redlock-universal, retry 10 ms',
    kind: 'library',
    package: packageLabel('redlock-universal'),
    client: 'ioredis',
    tuning,
    waiting:
      tuning === 'defaults'
        ? 'polls every 100 ms (200 ms on N nodes), 3 retries'
        : 'polls every 10 ms, 3 retries',
    single: true,
    quorum: true,
    autoExtend: true,
    async open(endpoints) {
      const clients = await Promise.all(endpoints.map(connectIoredis));
      const adapters = clients.map((client) => new IoredisAdapter(client));
      const locks = new Map<string, Lock>();
      let attempts = 0;
      const lockFor = (key: string, ttl: number): Lock => {
        let lock = locks.get(key);
        if (lock === undefined) {
          lock =
            adapters.length === 1
              ? createLock({ adapter: adapters[0]!, key, ttl, ...retry })
              : createRedlock({ adapters, key, ttl, ...retry });
          locks.set(key, lock);
        }
        return lock;
      };
      return {
        async acquire(key, ttl) {
          const lock = lockFor(key, ttl);
          const handle: LockHandle = await lock.acquire();
          attempts += handle.metadata?.attempts ?? 0;
          return { release: async () => void (await lock.release(handle)) };
        },
        hold(key, ttl) {
          const lock = lockFor(key, ttl);
          return new Promise<HeldLock>((resolveHeld, rejectHeld) => {
            const routine = lock.using(async () => {
              await new Promise<void>((done) => {
                resolveHeld({
                  release: async () => {
                    done();
                    await routine;
                  },
                });
              });
            });
            routine.catch(rejectHeld);
          });
        },
        counters: () => ({ attempts }),
        async close() {
          for (const client of clients) client.disconnect();
        },
      };
    },
  };
}
