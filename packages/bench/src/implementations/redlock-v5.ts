import Redlock, { type Settings } from 'redlock';
import { connectIoredis } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { Implementation, Tuning } from './lock-client.js';

/**
 * redlock 5 (`redlock@5.0.0-beta.2`) over one ioredis connection per node. Defaults: 10
 * retries 200 ± 100 ms apart. `retry 10 ms`: retryDelay 10, retryJitter 5 (the defaults'
 * jitter-to-delay ratio), the retry count unchanged.
 */
export function redlockV5(tuning: Tuning): Implementation {
  const settings: Partial<Settings> =
    tuning === 'defaults' ? {} : { retryDelay: 10, retryJitter: 5 };
  return {
    id: tuning === 'defaults' ? 'redlock5' : 'redlock5-retry10',
    label: tuning === 'defaults' ? 'redlock 5' : 'redlock 5, retry 10 ms',
    kind: 'library',
    package: packageLabel('redlock'),
    client: 'ioredis',
    tuning,
    waiting:
      tuning === 'defaults'
        ? 'polls every 200 ± 100 ms, 10 retries'
        : 'polls every 10 ± 5 ms, 10 retries',
    single: true,
    quorum: true,
    autoExtend: true,
    async open(endpoints) {
      const clients = await Promise.all(endpoints.map(connectIoredis));
      const redlock = new Redlock(clients, settings);
      redlock.on('error', () => {}); // It emits every refused attempt as an 'error' event.
      let attempts = 0;
      return {
        async acquire(key, ttl) {
          const lock = await redlock.acquire([key], ttl);
          attempts += lock.attempts.length;
          return { release: async () => void (await lock.release()) };
        },
        hold(key, ttl) {
          return new Promise((resolveHeld, rejectHeld) => {
            let finish: () => void = () => {};
            const routine = redlock.using([key], ttl, async () => {
              await new Promise<void>((done) => {
                finish = done;
                resolveHeld({
                  release: async () => {
                    finish();
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
