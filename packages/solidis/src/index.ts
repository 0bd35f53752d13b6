import {
  createLocks as createLocksOnClient,
  type Locks,
  type LocksOptions,
  multiplexSubscriptions,
  normaliseReply,
  type RedisLikeClient,
} from '@deadbolt/core';
import type { SolidisScriptClient, SolidisSubscriberClient } from './solidis-client.js';

export * from '@deadbolt/core';
export type { SolidisScriptClient, SolidisSubscriberClient } from './solidis-client.js';

/** Options of {@link fromSolidis}. */
export interface FromSolidisOptions {
  /**
   * Makes a NEW solidis client to the same server (solidis has no `duplicate()`), e.g.
   * `() => new SolidisFeaturedClient(sameOptions)`. Called on first contention; that client
   * carries every release subscription and is `quit()` once no lock is waited for. Without
   * it, waiters poll with jittered backoff instead of waking on release.
   */
  subscriber?: () => SolidisSubscriberClient;
}

/** Options of {@link createLocks}: deadbolt's `LocksOptions` plus `subscriber`. */
export interface SolidisLocksOptions extends LocksOptions, FromSolidisOptions {}

const isSolidis = (client: unknown): client is SolidisScriptClient =>
  typeof (client as { send?: unknown } | null)?.send === 'function' &&
  typeof (client as { extend?: unknown }).extend === 'function';

// A number argument makes solidis fail every command in flight on the connection, so only
// strings ever reach it, whatever a caller slips through.
const strings = (values: readonly string[]) => Array.from(values, String);

/**
 * Adapts a solidis `SolidisFeaturedClient`, or a `SolidisClient` extended with
 * `{ eval: evaluate, evalsha }`, to deadbolt's `RedisLikeClient`. solidis resolves error
 * replies as `Error` values: they become rejections carrying Redis's text ("NOSCRIPT ...").
 */
export function fromSolidis(
  client: SolidisScriptClient,
  options: FromSolidisOptions = {},
): RedisLikeClient {
  if (typeof client?.eval !== 'function' || typeof client.evalsha !== 'function') {
    throw new TypeError(
      'client must be a SolidisFeaturedClient or a SolidisClient extended with { eval: evaluate, evalsha }',
    );
  }
  const { subscriber } = options;
  if (subscriber !== undefined && typeof subscriber !== 'function') {
    throw new TypeError('options.subscriber must be a function that makes a new solidis client');
  }
  const adapted: RedisLikeClient = {
    async eval(script, keys, args) {
      return normaliseReply(await client.eval(script, strings(keys), strings(args)));
    },
    async evalsha(sha1, keys, args) {
      return normaliseReply(await client.evalsha(sha1, strings(keys), strings(args)));
    },
  };
  if (subscriber === undefined) return adapted;
  adapted.subscribe = multiplexSubscriptions((events) => {
    const sub = subscriber();
    sub.on('smessage', (channel) => events.message(channel));
    sub.on('reconnected', () => events.reconnected()); // solidis has resubscribed by then.
    return {
      ssubscribe: (channel) => sub.ssubscribe(channel),
      sunsubscribe: (channel) => sub.sunsubscribe(channel),
      close: () => sub.quit(),
    };
  });
  return adapted;
}

/**
 * Creates deadbolt's lock API on a solidis client; `options.subscriber` turns on wake-ups.
 *
 * @example
 * const connection = { host: '127.0.0.1', port: 6379 };
 * const locks = createLocks(new SolidisFeaturedClient(connection), {
 *   subscriber: () => new SolidisFeaturedClient(connection),
 * });
 */
export function createLocks(
  client: SolidisScriptClient | RedisLikeClient,
  options?: SolidisLocksOptions,
): Locks {
  if (!isSolidis(client)) return createLocksOnClient(client, options);
  // Anything but an options object goes to core as it is, which names what is wrong with it.
  if (typeof options !== 'object' || options === null) {
    return createLocksOnClient(fromSolidis(client), options);
  }
  const { subscriber, ...locksOptions } = options;
  return createLocksOnClient(fromSolidis(client, subscriber ? { subscriber } : {}), locksOptions);
}
