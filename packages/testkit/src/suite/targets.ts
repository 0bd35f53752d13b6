import { createLocks, type Locks, type LocksOptions, type RedisLikeClient } from '@deadbolt/core';
import { startRedisCluster, startRedisServer, startRedisServers } from '../index.js';
import type { RedisServer } from '../redis-server.js';
import type { LockTarget, LockTopology, SuiteConnection } from './lock-topology.js';
import { NodeAdmin } from './node-admin.js';

/** Connects a client of the adapter under test to a server (or a cluster's root nodes). */
export type Connect = (nodes: { host: string; port: number }[]) => Promise<SuiteConnection>;

function topology(
  defaults: LocksOptions | undefined,
  servers: readonly RedisServer[],
  admin: NodeAdmin,
  makeLocks: (
    options: LocksOptions,
    wrap: (client: RedisLikeClient) => RedisLikeClient,
  ) => Promise<{ locks: Locks; close(): Promise<void> }>,
  stop: () => Promise<void>,
): LockTopology {
  const open: { locks: Locks; close(): Promise<void> }[] = [];
  const base = defaults ?? {};
  const closeLocks = async () => {
    const all = open.splice(0);
    await Promise.all(
      all.map(async (entry) => {
        await entry.locks.close();
        await entry.close();
      }),
    );
  };
  return {
    async createLocks(options, wrap = (client) => client) {
      const entry = await makeLocks({ ...base, ...options }, wrap);
      open.push(entry);
      return entry.locks;
    },
    closeLocks,
    get: (key) => admin.get(key),
    pttl: (key) => admin.pttl(key),
    set: (key, value, ttl) => admin.set(key, value, ttl),
    del: (key) => admin.del(key),
    shardSubscribers: (pattern) => admin.shardSubscribers(pattern),
    pause: () => admin.pause(),
    resume: () => admin.resume(),
    flushScripts: () => admin.flushScripts(),
    killPubSubConnections: () => admin.killPubSubConnections(),
    scriptCalls: () => admin.scriptCalls(),
    dbsize: () => admin.dbsize(),
    heldKeys: () => admin.heldKeys(),
    keys: (pattern) => admin.keys(pattern),
    call: (command, key, ...args) => admin.call(command, key, ...args),
    async teardown() {
      await Promise.all(servers.map((s) => (s.state === 'paused' ? s.resume() : undefined)));
      await closeLocks();
      await admin.close();
      await stop();
    },
  };
}

/** The adapter under test on one `redis-server`. */
export function singleNodeTarget(label: string, connect: Connect, wakeUps = true): LockTarget {
  return {
    label: `${label} · single node`,
    wakeUps,
    sharedHolds: true,
    quorum: false,
    nodes: 1,
    async setup() {
      const server = await startRedisServer();
      const nodes = [{ host: '127.0.0.1', port: server.port }];
      return topology(
        this.defaults,
        [server],
        new NodeAdmin([server], { cluster: false }),
        async (options, wrap) => {
          const connection = await connect(nodes);
          return {
            locks: createLocks(wrap(connection.client), options),
            close: () => connection.close(),
          };
        },
        () => server.stop(),
      );
    },
  };
}

/** The adapter under test on a real 3-master Redis Cluster. */
export function clusterTarget(label: string, connect: Connect, wakeUps = true): LockTarget {
  return {
    label: `${label} · cluster`,
    wakeUps,
    sharedHolds: true,
    quorum: false,
    nodes: 1,
    async setup() {
      const cluster = await startRedisCluster({ masters: 3 });
      return topology(
        this.defaults,
        cluster.masters,
        new NodeAdmin(cluster.masters, { cluster: true }),
        async (options, wrap) => {
          const connection = await connect(cluster.rootNodes);
          return {
            locks: createLocks(wrap(connection.client), options),
            close: () => connection.close(),
          };
        },
        () => cluster.stop(),
      );
    },
  };
}

/** Builds `Locks` over several nodes, e.g. `createRedlock` from `@deadbolt/redlock`. */
export type CreateQuorumLocks = (clients: RedisLikeClient[], options?: LocksOptions) => Locks;

/** The adapter under test on `count` independent servers, through a quorum `Locks`. */
export function quorumTarget(
  label: string,
  count: number,
  connect: Connect,
  createQuorumLocks: CreateQuorumLocks,
  wakeUps = true,
): LockTarget {
  return {
    label: `${label} · ${count} nodes`,
    wakeUps,
    sharedHolds: false,
    quorum: true,
    nodes: count,
    async setup() {
      const servers = await startRedisServers(count);
      return topology(
        undefined,
        servers,
        new NodeAdmin(servers, { cluster: false }),
        async (options, wrap) => {
          const connections = await Promise.all(
            servers.map((s) => connect([{ host: '127.0.0.1', port: s.port }])),
          );
          return {
            locks: createQuorumLocks(
              connections.map((c) => wrap(c.client)),
              options,
            ),
            close: async () => {
              await Promise.all(connections.map((c) => c.close()));
            },
          };
        },
        async () => {
          await Promise.all(servers.map((s) => s.stop()));
        },
      );
    },
  };
}

/** The same target with `fair: true` for every `Locks` (the waiter queue's FIFO mode). */
export function fairMode(target: LockTarget): LockTarget {
  return {
    ...target,
    label: `${target.label} · fair`,
    defaults: { ...target.defaults, fair: true },
  };
}
