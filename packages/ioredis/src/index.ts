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
import type { Cluster, Redis } from 'ioredis';

export * from '@deadbolt/core';

/** An ioredis 5 or 6 `Redis` or `Cluster`. */
export type IoredisClient = Redis | Cluster;

function isIoredisClient(client: unknown): client is IoredisClient {
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof (client as Redis).evalsha === 'function' &&
    typeof (client as Redis).duplicate === 'function' &&
    typeof (client as Redis).on === 'function'
  );
}

/**
 * Adapts an ioredis `Redis` or `Cluster` to deadbolt's `RedisLikeClient`. Release messages
 * arrive on one extra connection, opened on first contention (`duplicate()`; on a Cluster,
 * with `shardedSubscribers` so each `SSUBSCRIBE` goes to the node that owns the channel) and
 * closed when no lock is waited for or when your client ends.
 *
 * ioredis's `keyPrefix` applies to the lock keys and, because ioredis treats `SSUBSCRIBE`
 * channels as keys, to the release channel too, matching the channel the script derives from
 * the key. `lock.key` and `inspect` report names without the prefix.
 */
export function fromIoredis(client: IoredisClient): RedisLikeClient {
  if (!isIoredisClient(client)) {
    throw new TypeError('client must be an ioredis Redis or Cluster instance');
  }
  return {
    async eval(script, keys, args) {
      return normaliseReply(await client.eval(script, keys.length, ...keys, ...args));
    },
    async evalsha(sha1, keys, args) {
      return normaliseReply(await client.evalsha(sha1, keys.length, ...keys, ...args));
    },
    subscribe: multiplexSubscriptions((events) => openSubscriber(client, events)),
  };
}

function openSubscriber(client: IoredisClient, events: SubscriberEvents): SubscriberConnection {
  // A plain client resubscribes itself: ioredis's own resubscription sends SSUBSCRIBE with no
  // rejection handler (an unhandled rejection when the connection drops again before the
  // reply). A Cluster's sharded subscribers resubscribe with handlers and then emit
  // 'subscribersReady'.
  const sub: IoredisClient = client.isCluster
    ? (client as Cluster).duplicate(undefined, { shardedSubscribers: true })
    : (client as Redis).duplicate({ autoResubscribe: false });
  const prefix = (client.options as { keyPrefix?: string }).keyPrefix ?? '';
  const channels = new Set<string>();
  let connectedBefore = false;
  sub.on('error', () => {}); // It reconnects by itself; a failed SSUBSCRIBE rejects.
  sub.on('smessage', (channel: string) =>
    events.message(channel.startsWith(prefix) ? channel.slice(prefix.length) : channel),
  );
  // Releases published while the connection was down were lost: waiters retry once the
  // channels are subscribed again (or failed to be; the next reconnect tries again).
  sub.on('ready', () => {
    if (connectedBefore && client.isCluster) events.reconnected();
    else if (connectedBefore) {
      const again = [...channels].map((channel) => sub.ssubscribe(channel));
      void Promise.allSettled(again).then(() => events.reconnected());
    }
    connectedBefore = true;
  });
  sub.on('subscribersReady', () => events.reconnected());
  const close = () => {
    client.off('end', close);
    sub.disconnect();
  };
  client.once('end', close); // The user closed their client: close ours too.
  return {
    ssubscribe: async (channel) => {
      channels.add(channel);
      await sub.ssubscribe(channel).catch((error: unknown) => {
        channels.delete(channel);
        throw error;
      });
    },
    sunsubscribe: async (channel) => {
      channels.delete(channel);
      await sub.sunsubscribe(channel);
    },
    close,
  };
}

/**
 * Creates deadbolt's lock API on an ioredis client.
 *
 * @example
 * const locks = createLocks(new Redis());
 * await locks.withLock('payment:42', async (lock) => charge({ fence: lock.fence }));
 */
export function createLocks(
  client: IoredisClient | RedisLikeClient,
  options?: LocksOptions,
): Locks {
  return createLocksOnClient(isIoredisClient(client) ? fromIoredis(client) : client, options);
}
