import { lock } from 'simple-redis-mutex';
import { connectNodeRedis } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { Implementation } from './lock-client.js';

/**
 * simple-redis-mutex over node-redis (its only client). `SET NX` plus an `INCR` fence; release
 * publishes on one global channel that every waiting process hears. Note: the library keeps
 * one subscriber connection per Node.js process (module state), so the workers of a contended
 * run share it; each still has its own command connection. No auto-extension.
 */
export const simpleRedisMutex: Implementation = {
  id: 'simple-redis-mutex',
  label: 'simple-redis-mutex',
  kind: 'library',
  package: packageLabel('simple-redis-mutex'),
  client: 'node-redis',
  tuning: 'defaults',
  waiting: 'pub/sub broadcast on one global channel, polls every 10 s',
  single: true,
  quorum: false,
  autoExtend: false,
  async open([endpoint]) {
    const client = await connectNodeRedis(endpoint!);
    return {
      async acquire(key, ttl) {
        const release = await lock(client, key, { timeout: ttl });
        return { release };
      },
      async close() {
        client.destroy();
      },
    };
  },
};
