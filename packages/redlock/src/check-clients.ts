import type { RedisLikeClient } from '@deadbolt/core';
import { describeValue } from './describe-value.js';

/**
 * Checks the nodes given to `createRedlock`: a non-empty array of distinct
 * {@link RedisLikeClient}s. Throws a `TypeError` or `RangeError` that names `clients` (and the
 * index of a bad element) before anything is sent to Redis.
 *
 * Two different adapter objects around the same Redis server cannot be told apart here; the
 * README asks for one client per independent server.
 */
export function checkClients(clients: unknown): readonly RedisLikeClient[] {
  if (!Array.isArray(clients)) {
    throw new TypeError(
      `clients must be an array of RedisLikeClient, one per independent Redis node, got ${describeValue(clients)}`,
    );
  }
  if (clients.length === 0) {
    throw new RangeError('clients must contain at least one Redis node (3 or 5 are typical)');
  }
  const checked: RedisLikeClient[] = [];
  for (let index = 0; index < clients.length; index++) {
    const client: unknown = clients[index];
    const ok =
      typeof client === 'object' &&
      client !== null &&
      typeof (client as RedisLikeClient).eval === 'function' &&
      typeof (client as RedisLikeClient).evalsha === 'function';
    if (!ok) {
      throw new TypeError(
        `clients[${index}] must implement RedisLikeClient (eval and evalsha functions), got ${describeValue(client)}; ` +
          'adapt each client with fromIoredis, fromNodeRedis or fromSolidis',
      );
    }
    const subscribe = (client as RedisLikeClient).subscribe;
    if (subscribe !== undefined && typeof subscribe !== 'function') {
      throw new TypeError(
        `clients[${index}].subscribe must be a function when present, got ${describeValue(subscribe)}`,
      );
    }
    const first = checked.indexOf(client as RedisLikeClient);
    if (first !== -1) {
      throw new RangeError(
        `clients[${index}] is the same client as clients[${first}]; each node must be a different, independent Redis server`,
      );
    }
    checked.push(client as RedisLikeClient);
  }
  return checked;
}
