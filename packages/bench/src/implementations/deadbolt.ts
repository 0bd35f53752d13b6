import type { LockEvent, Locks, LocksOptions } from '@deadbolt/core';
import { createLocks as createIoredisLocks, fromIoredis } from '@deadbolt/ioredis';
import { createLocks as createNodeRedisLocks } from '@deadbolt/node-redis';
import { createRedlock } from '@deadbolt/redlock';
import { createLocks as createSolidisLocks } from '@deadbolt/solidis';
import { SolidisFeaturedClient } from '../../../solidis/test/solidis-stand-in.js';
import { connectIoredis, connectNodeRedis, connectStandIn } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { ClientLibrary, Endpoint, Implementation, LockClient } from './lock-client.js';

/**
 * Options for `createLocks` beyond today's `LocksOptions`, e.g. `{ fair: true }` once core
 * has it: an entry whose options this build rejects is reported as unavailable, not run.
 */
export type DeadboltOptions = Readonly<Record<string, unknown>>;

export interface DeadboltEntry {
  /** Which adapter: deadbolt through each client library. */
  readonly adapter: ClientLibrary;
  /** Extra `createLocks` options for a variant, e.g. `{ fair: true }`. */
  readonly options?: DeadboltOptions;
  /** Variant name, shown after the adapter: `deadbolt fair (ioredis)`. */
  readonly variant?: string;
}

const adapterPackages: Record<ClientLibrary, string> = {
  ioredis: `@deadbolt/ioredis + ${packageLabel('ioredis')}`,
  'node-redis': `@deadbolt/node-redis + ${packageLabel('redis')}`,
  'solidis stand-in': '@deadbolt/solidis + solidis stand-in',
};

interface Opened {
  readonly locks: Locks;
  close(): Promise<void>;
}

/** Counts what deadbolt reports through `onEvent`. */
function eventCounters() {
  const counts = { attempts: 0, extensions: 0, lost: 0 };
  const onEvent = (event: LockEvent) => {
    if (event.type === 'acquired') counts.attempts += event.attempts ?? 0;
    else if (event.type === 'extended') counts.extensions++;
    else if (event.type === 'lost') counts.lost++;
  };
  return { counts, onEvent };
}

async function openAdapter(
  adapter: ClientLibrary,
  endpoint: Endpoint,
  options: LocksOptions,
): Promise<Opened> {
  switch (adapter) {
    case 'ioredis': {
      const client = await connectIoredis(endpoint);
      const locks = createIoredisLocks(client, options);
      return { locks, close: async () => client.disconnect() };
    }
    case 'node-redis': {
      const client = await connectNodeRedis(endpoint);
      const locks = createNodeRedisLocks(client, options);
      return { locks, close: async () => client.destroy() };
    }
    case 'solidis stand-in': {
      const client = await connectStandIn(endpoint);
      const connection = { host: endpoint.host, port: endpoint.port };
      const locks = createSolidisLocks(client, {
        ...options,
        subscriber: () => new SolidisFeaturedClient(connection),
      });
      return { locks, close: async () => client.quit() };
    }
  }
}

function lockClient(
  opened: Opened,
  counts: { attempts: number; extensions: number; lost: number },
  close: () => Promise<void>,
): LockClient {
  const { locks } = opened;
  return {
    async acquire(key, ttl) {
      const lock = await locks.acquire(key, { ttl });
      return { release: async () => void (await lock.release()) };
    },
    async hold(key, ttl) {
      const lock = await locks.acquire(key, { ttl, autoExtend: true });
      return { release: async () => void (await lock.release()) };
    },
    counters: () => ({ ...counts }),
    async close() {
      await locks.close();
      await close();
    },
  };
}

/** deadbolt on one server through one adapter, with the library's defaults. */
export function deadbolt(entry: DeadboltEntry): Implementation {
  const { adapter, variant } = entry;
  const options = (entry.options ?? {}) as LocksOptions;
  const name = variant === undefined ? 'deadbolt' : `deadbolt ${variant}`;
  return {
    id: `deadbolt${variant === undefined ? '' : `-${variant}`}-${adapter.split(' ')[0]}`,
    label: `${name} (${adapter})`,
    kind: 'deadbolt',
    package: adapterPackages[adapter],
    client: adapter,
    tuning: 'defaults',
    waiting: 'sharded pub/sub, one local waiter woken per Locks, PTTL-capped sleep',
    single: true,
    quorum: false,
    autoExtend: true,
    unavailable() {
      // createLocks validates its options before it sends anything: probe them on a stub.
      const stub = { eval: async () => null, evalsha: async () => null };
      try {
        void createIoredisLocks(stub, options).close();
        return undefined;
      } catch (error) {
        return `this build rejects its options: ${(error as Error).message}`;
      }
    },
    async open([endpoint]) {
      const { counts, onEvent } = eventCounters();
      const opened = await openAdapter(adapter, endpoint!, { ...options, onEvent });
      return lockClient(opened, counts, opened.close);
    },
  };
}

/** `@deadbolt/redlock` over one ioredis connection per node, with its defaults. */
export function deadboltRedlock(): Implementation {
  return {
    id: 'deadbolt-redlock',
    label: 'deadbolt redlock',
    kind: 'deadbolt',
    package: `@deadbolt/redlock + ${packageLabel('ioredis')}`,
    client: 'ioredis',
    tuning: 'defaults',
    waiting: 'pub/sub on the nodes, jittered retry',
    single: false,
    quorum: true,
    autoExtend: true,
    async open(endpoints) {
      const clients = await Promise.all(endpoints.map(connectIoredis));
      const { counts, onEvent } = eventCounters();
      const locks = createRedlock(clients.map(fromIoredis), { onEvent });
      const close = async () => {
        for (const client of clients) client.disconnect();
      };
      return lockClient({ locks, close }, counts, close);
    },
  };
}
