import Redlock4 from 'redlock4';
import { connectIoredis } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { Implementation, Tuning } from './lock-client.js';

/**
 * redlock 4 (the latest 4.x, what most users run) over one ioredis connection per node.
 * Defaults: 10 retries 200 ± 100 ms apart; every refused attempt also sends an unlock to all
 * nodes. `retry 10 ms`: retryDelay 10, retryJitter 5. No auto-extension.
 */
export function redlockV4(tuning: Tuning): Implementation {
  return {
    id: tuning === 'defaults' ? 'redlock4' : 'redlock4-retry10',
    label: tuning === 'defaults' ? 'redlock 4' : 'redlock 4, retry 10 ms',
    kind: 'library',
    package: packageLabel('redlock4', 'redlock'),
    client: 'ioredis',
    tuning,
    waiting:
      tuning === 'defaults'
        ? 'polls every 200 ± 100 ms, 10 retries'
        : 'polls every 10 ± 5 ms, 10 retries',
    single: true,
    quorum: true,
    autoExtend: false,
    async open(endpoints) {
      const clients = await Promise.all(endpoints.map(connectIoredis));
      const redlock = new Redlock4(
        clients,
        tuning === 'defaults' ? {} : { retryDelay: 10, retryJitter: 5 },
      );
      redlock.on('clientError', () => {});
      let attempts = 0;
      return {
        async acquire(key, ttl) {
          const lock = await redlock.lock(key, ttl);
          attempts += lock.attempts;
          return { release: () => lock.unlock() };
        },
        counters: () => ({ attempts }),
        async close() {
          for (const client of clients) client.disconnect();
        },
      };
    },
  };
}
