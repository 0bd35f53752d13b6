import {
  createLocks as createLocksOnClient,
  type Locks,
  type LocksOptions,
  multiplexSubscriptions,
  normaliseReply,
  type RedisLikeClient,
  type SubscriberConnection,
  type SubscriberEvents,
} from '@deadbolt/core';
import {
  isCluster,
  isNodeRedis,
  keyPrefixOf,
  type NodeRedisClient,
  type NodeRedisCluster,
  type NodeRedisCommands,
  type NodeRedisEmitter,
} from './node-redis-client.js';

export * from '@deadbolt/core';
export type { NodeRedisClient, NodeRedisCluster } from './node-redis-client.js';

/**
 * Adapts a connected node-redis 5 or 6 `createClient()` or `createCluster()` to deadbolt's
 * `RedisLikeClient`. Release messages arrive over `SSUBSCRIBE`: for a client on one extra
 * connection (`duplicate()`, with its own 'error' listener) opened on first contention and
 * closed when no lock is waited for; for a cluster through its own sharded subscribers.
 *
 * node-redis 6's `keyPrefix` applies to the lock keys (`inspect` reports them without it) and
 * so to the release channel the script derives from the key; the adapter subscribes to that
 * prefixed channel, since node-redis itself never prefixes channels.
 */
export function fromNodeRedis(client: NodeRedisClient | NodeRedisCluster): RedisLikeClient {
  if (!isNodeRedis(client)) throw new TypeError('client must be a node-redis client or cluster');
  // Scripts go through `sendCommand`, which skips node-redis's per-command argument parsing
  // (about 15% more script calls per second here) and its `keyPrefix`: the keys get it here.
  const prefix = keyPrefixOf(client);
  const send = isCluster(client)
    ? (args: string[], firstKey: string | undefined) => client.sendCommand(firstKey, false, args)
    : (args: string[]) => client.sendCommand(args);
  const run = async (
    command: string,
    script: string,
    keys: readonly string[],
    args: readonly string[],
  ) => {
    const prefixed = keys.map((key) => prefix + key);
    return normaliseReply(
      await send([command, script, String(keys.length), ...prefixed, ...args], prefixed[0]),
    );
  };
  return {
    eval: (script, keys, args) => run('EVAL', script, keys, args),
    evalsha: (sha1, keys, args) => run('EVALSHA', sha1, keys, args),
    subscribe: multiplexSubscriptions((events) =>
      isCluster(client) ? useCluster(client, events) : openDuplicate(client, events),
    ),
  };
}

/** Subscribes to channels as Redis names them: with the client's `keyPrefix`, if any. */
function sharded(target: NodeRedisCommands, events: SubscriberEvents, prefix: string) {
  // node-redis calls listeners with the message first, then the channel.
  const listener = (_message: string, channel: string) =>
    events.message(channel.slice(prefix.length));
  return {
    ssubscribe: (channel: string) => target.sSubscribe(prefix + channel, listener),
    sunsubscribe: (channel: string) => target.sUnsubscribe(prefix + channel, listener),
  };
}

async function openDuplicate(client: NodeRedisClient, events: SubscriberEvents) {
  const sub = client.duplicate();
  let connectedBefore = false;
  let closed = false;
  sub.on('error', () => {}); // It reconnects by itself; a failed SSUBSCRIBE rejects.
  sub.on('ready', () => {
    if (connectedBefore) events.reconnected(); // It has resubscribed by then.
    connectedBefore = true;
  });
  const close = () => {
    client.off('end', close);
    if (!closed) sub.destroy();
    closed = true;
  };
  client.once('end', close); // The user closed their client: close ours too.
  try {
    await sub.connect();
  } catch (error) {
    close();
    throw error;
  }
  return { ...sharded(sub, events, keyPrefixOf(client)), close } satisfies SubscriberConnection;
}

/** A cluster opens, resubscribes and closes its sharded subscriber connections itself. */
function useCluster(cluster: NodeRedisCluster, events: SubscriberEvents): SubscriberConnection {
  // node-redis 5 reports only a node's first 'ready': once any node reconnects, watch each
  // sharded subscriber's own next 'ready' (it has resubscribed by then).
  const watched = new WeakSet<NodeRedisEmitter>();
  const onNodeReconnecting = () => {
    for (const { pubSub } of cluster.masters) {
      if (pubSub === undefined || watched.has(pubSub.client)) continue;
      watched.add(pubSub.client);
      pubSub.client.once('ready', () => watched.delete(pubSub.client) && events.reconnected());
    }
  };
  cluster.on('node-reconnecting', onNodeReconnecting);
  return {
    ...sharded(cluster, events, keyPrefixOf(cluster)),
    close: () => cluster.off('node-reconnecting', onNodeReconnecting),
  };
}

/**
 * Creates deadbolt's lock API on a connected node-redis client or cluster.
 *
 * @example
 * const locks = createLocks(await createClient().connect());
 * await locks.withLock('payment:42', async (lock) => charge({ fence: lock.fence }));
 */
export function createLocks(
  client: NodeRedisClient | NodeRedisCluster | RedisLikeClient,
  options?: LocksOptions,
): Locks {
  return createLocksOnClient(isNodeRedis(client) ? fromNodeRedis(client) : client, options);
}
