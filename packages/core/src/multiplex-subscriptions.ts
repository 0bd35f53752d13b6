import type { RedisLikeClient } from './redis-like-client.js';

/** A dedicated connection that carries sharded subscriptions, as an adapter opens it. */
export interface SubscriberConnection {
  /** Resolves once Redis confirmed the `SSUBSCRIBE`. */
  ssubscribe(channel: string): Promise<void>;
  sunsubscribe(channel: string): Promise<void>;
  /** Closes the connection once no channel is left, right after the last `sunsubscribe`. */
  close(): void;
}

/** What the connection reports: a message on a channel, or that it came back after a loss. */
export interface SubscriberEvents {
  message(channel: string): void;
  /** Messages sent while it was away are lost: every listener gets one wake-up. */
  reconnected(): void;
}

type Listener = (message: string) => void;

/**
 * Builds `RedisLikeClient.subscribe` over one connection: opened by `open` on the first
 * subscription, shared by every channel, closed when the last one is unsubscribed.
 */
export function multiplexSubscriptions(
  open: (events: SubscriberEvents) => SubscriberConnection | Promise<SubscriberConnection>,
): NonNullable<RedisLikeClient['subscribe']> {
  const channels = new Map<string, { listeners: Set<Listener>; ready: Promise<void> }>();
  let connection: Promise<SubscriberConnection> | undefined;
  const events: SubscriberEvents = {
    message(channel) {
      for (const listener of channels.get(channel)?.listeners ?? []) listener('released');
    },
    reconnected() {
      for (const { listeners } of channels.values()) for (const l of listeners) l('reconnected');
    },
  };
  const closeIfIdle = async () => {
    const current = connection;
    if (channels.size > 0 || current === undefined) return;
    connection = undefined;
    (await current.catch(() => undefined))?.close();
  };

  return async (channel, onMessage) => {
    let entry = channels.get(channel);
    if (entry === undefined) {
      connection ??= Promise.resolve().then(() => open(events));
      const created = { listeners: new Set<Listener>(), ready: subscribeOn(connection, channel) };
      entry = created;
      channels.set(channel, created);
      try {
        await created.ready;
      } catch (error) {
        if (channels.get(channel) === created) channels.delete(channel);
        await closeIfIdle();
        throw error;
      }
    }
    await entry.ready; // Another caller's SSUBSCRIBE for this channel may still be in flight.
    const { listeners } = entry;
    listeners.add(onMessage);
    return async () => {
      listeners.delete(onMessage);
      if (listeners.size > 0 || channels.get(channel) !== entry) return;
      channels.delete(channel);
      const current = await connection;
      if (channels.size > 0) return current?.sunsubscribe(channel);
      // The last channel: the connection closes now, so nobody waits for Redis's answer.
      current?.sunsubscribe(channel).catch(() => {});
      await closeIfIdle();
    };
  };
}

async function subscribeOn(connection: Promise<SubscriberConnection>, channel: string) {
  await (await connection).ssubscribe(channel);
}
