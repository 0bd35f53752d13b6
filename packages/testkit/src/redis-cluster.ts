import { launchRedisServer, type RedisServer, type RedisServerOptions } from './redis-server.js';

/** Options for {@link startRedisCluster}; the server options apply to every node. */
export interface RedisClusterOptions extends RedisServerOptions {
  /** Number of masters, which share the 16384 slots evenly. Default 3, at least 3. */
  masters?: number;
  /** Replicas attached to each master. Default 0. */
  replicasPerMaster?: number;
  /** How long the cluster may take to form once its nodes run, in ms. Default 30000. */
  formTimeout?: number;
}

/** A running Redis Cluster made of {@link RedisServer}s started by this process. */
export interface RedisCluster {
  /**
   * Every node: the masters first, then the replicas. A node's `dir` holds its `nodes.conf`,
   * so a plain `restart()` (empty) brings it back as a blank node outside the cluster; start
   * the cluster with `persistence: true` and use `restart({ empty: false })` to have it rejoin.
   */
  readonly nodes: RedisServer[];
  /** The masters, in slot order: master i owns the i-th slice of the slots. */
  readonly masters: RedisServer[];
  /** The replicas; replica i replicates `masters[i % masters.length]`. */
  readonly replicas: RedisServer[];
  /** Every node's address, for `new Cluster(rootNodes)` (ioredis) or node-redis `rootNodes`. */
  readonly rootNodes: { host: string; port: number }[];
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

const SLOT_COUNT = 16_384;
const DEFAULT_FORM_TIMEOUT = 30_000;

/**
 * Starts a real Redis Cluster on loopback ports: `cluster-enabled` nodes with their own
 * `nodes.conf`, slots split evenly over the masters, replicas attached, and resolves only when
 * every node reports `cluster_state:ok` with all 16384 slots assigned and sees the whole
 * topology. Needs Redis 7.0 or newer.
 *
 * @throws when the options are invalid, a node fails to start or the cluster does not form in
 * time; every node started so far is stopped again.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const {
    masters: masterCount = 3,
    replicasPerMaster = 0,
    formTimeout,
    ...serverOptions
  } = options;
  if (!Number.isInteger(masterCount) || masterCount < 3) {
    throw new RangeError(
      `startRedisCluster: masters must be a whole number >= 3, got ${masterCount}`,
    );
  }
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) {
    throw new RangeError(
      `startRedisCluster: replicasPerMaster must be a whole number >= 0, got ${replicasPerMaster}`,
    );
  }
  const total = masterCount * (1 + replicasPerMaster);
  const started = await Promise.allSettled(
    Array.from({ length: total }, () => launchRedisServer(serverOptions, true)),
  );
  const nodes = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async (): Promise<void> => {
    const results = await Promise.allSettled(nodes.map((node) => node.stop()));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    if (errors.length > 0) throw new AggregateError(errors, 'some cluster nodes did not stop');
  };
  const failure = started.find((r) => r.status === 'rejected');
  if (failure !== undefined) {
    await stop().catch(() => undefined);
    throw failure.reason;
  }
  const masters = nodes.slice(0, masterCount);
  const replicas = nodes.slice(masterCount);
  try {
    await formCluster(masters, replicas, Date.now() + (formTimeout ?? DEFAULT_FORM_TIMEOUT));
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return {
    nodes,
    masters,
    replicas,
    rootNodes: nodes.map((node) => ({ host: node.host, port: node.port })),
    stop,
  };
}

async function formCluster(
  masters: RedisServer[],
  replicas: RedisServer[],
  deadline: number,
): Promise<void> {
  const nodes = [...masters, ...replicas];
  // Slots and distinct config epochs go in before the nodes meet (SET-CONFIG-EPOCH is only
  // allowed then); distinct epochs spare the cluster its epoch-collision dance.
  await Promise.all(
    masters.map(async (master, i) => {
      const first = Math.floor((i * SLOT_COUNT) / masters.length);
      const last = Math.floor(((i + 1) * SLOT_COUNT) / masters.length) - 1;
      await master.command('CLUSTER', 'ADDSLOTSRANGE', first, last);
      await master.command('CLUSTER', 'SET-CONFIG-EPOCH', i + 1);
    }),
  );
  const busPorts = await Promise.all(nodes.map((node) => readBusPort(node)));
  // Every pair meets directly, so nobody waits for gossip to spread the addresses.
  await Promise.all(
    nodes.flatMap((node, i) =>
      nodes
        .slice(i + 1)
        .map((other, j) =>
          node.command('CLUSTER', 'MEET', other.host, other.port, busPorts[i + 1 + j] ?? 0),
        ),
    ),
  );
  const masterIds = await Promise.all(masters.map((m) => m.command('CLUSTER', 'MYID')));
  await waitFor(deadline, 'every node to know every other node', async () => {
    const views = await Promise.all(nodes.map((node) => node.command('CLUSTER', 'NODES')));
    return views.every((view) => {
      const lines = String(view).trim().split('\n');
      return lines.length === nodes.length && !/handshake|noaddr/.test(String(view));
    });
  });
  await Promise.all(
    replicas.map((replica, i) =>
      replica.command('CLUSTER', 'REPLICATE', String(masterIds[i % masters.length])),
    ),
  );
  await waitFor(deadline, 'cluster_state:ok and the full topology on every node', async () => {
    const checks = await Promise.all(nodes.map((node) => isNodeReady(node, masters, replicas)));
    return checks.every(Boolean);
  });
}

async function readBusPort(node: RedisServer): Promise<number> {
  const reply = await node.command('CONFIG', 'GET', 'cluster-port');
  const port = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`could not read cluster-port of node ${node.port}: ${String(reply)}`);
  }
  return port;
}

async function isNodeReady(
  node: RedisServer,
  masters: RedisServer[],
  replicas: RedisServer[],
): Promise<boolean> {
  const info = String(await node.command('CLUSTER', 'INFO'));
  if (
    !info.includes('cluster_state:ok') ||
    !info.includes(`cluster_slots_assigned:${SLOT_COUNT}`)
  ) {
    return false;
  }
  // Each node must also see every replica as one, so a client's first CLUSTER SLOTS is complete.
  const view = String(await node.command('CLUSTER', 'NODES'));
  const roles = view
    .trim()
    .split('\n')
    .map((line) => line.split(' ')[2] ?? '');
  const seenReplicas = roles.filter((flags) => flags.split(',').includes('slave')).length;
  const seenMasters = roles.filter((flags) => flags.split(',').includes('master')).length;
  if (seenReplicas !== replicas.length || seenMasters !== masters.length) return false;
  if (replicas.includes(node)) {
    const replication = String(await node.command('INFO', 'replication'));
    return replication.includes('master_link_status:up');
  }
  return true;
}

async function waitFor(
  deadline: number,
  what: string,
  check: () => Promise<boolean>,
): Promise<void> {
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Redis Cluster did not form: timed out waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
