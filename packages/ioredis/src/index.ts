import {
  createLocks as createLocksOnClient,
  type Locks,
  type LocksOptions,
  normaliseReply,
  type RedisLikeClient,
} from '@deadbolt/core';
import type { Cluster, Redis } from 'ioredis';

export * from '@deadbolt/core';

/** An ioredis 5 or 6 `Redis` or `Cluster`. */
export type IoredisClient = Redis | Cluster;

type Listener = (message: string) => void;

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
 * closed when no lock is waited for.
 *
 * ioredis's `keyPrefix` applies to the lock keys (`inspect` reports them without it) but not
 * to channels; both sides use the same prefix, so wake-ups still match.
 */
export function fromIoredis(client: IoredisClient): RedisLikeClient {
  if (!isIoredisClient(client)) {
    throw new TypeError('client must be an ioredis Redis or Cluster instance');
  }
  const listeners = new Map<string, Set<Listener>>();
  let subscriber: IoredisClient | undefined;

  const openSubscriber = (): IoredisClient => {
    const sub: IoredisClient = client.isCluster
      ? (client as Cluster).duplicate(undefined, { shardedSubscribers: true })
      : (client as Redis).duplicate();
    let connectedBefore = false;
    sub.on('error', () => {}); // Reconnects by itself; a failed SSUBSCRIBE rejects below.
    sub.on('smessage', (channel: string) => {
      for (const listener of listeners.get(channel) ?? []) listener('released');
    });
    // Messages sent while we were disconnected are lost: after a reconnect (ioredis
    // resubscribes by itself), wake every channel once so waiters look again. A Cluster's
    // sharded subscribers announce their resubscription with 'subscribersReady'.
    const wakeAll = () => {
      for (const set of listeners.values()) for (const listener of set) listener('reconnected');
    };
    sub.on('ready', () => {
      if (connectedBefore) wakeAll();
      connectedBefore = true;
    });
    sub.on('subscribersReady', wakeAll);
    client.once('end', () => sub.disconnect());
    return sub;
  };

  return {
    async eval(script, keys, args) {
      return normaliseReply(await client.eval(script, keys.length, ...keys, ...args));
    },
    async evalsha(sha1, keys, args) {
      return normaliseReply(await client.evalsha(sha1, keys.length, ...keys, ...args));
    },
    async subscribe(channel, onMessage) {
      subscriber ??= openSubscriber();
      const sub = subscriber;
      let set = listeners.get(channel);
      if (set === undefined) {
        set = new Set();
        listeners.set(channel, set);
        try {
          await sub.ssubscribe(channel);
        } catch (error) {
          listeners.delete(channel);
          throw error;
        }
      }
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
        if (set.size > 0 || listeners.get(channel) !== set) return;
        listeners.delete(channel);
        if (listeners.size === 0 && subscriber === sub) {
          subscriber = undefined;
          sub.disconnect();
        } else {
          await sub.sunsubscribe(channel);
        }
      };
    },
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
