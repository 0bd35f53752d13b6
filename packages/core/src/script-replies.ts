import type { AcquireReply } from './lock-backend.js';
import type { RedisReply } from './redis-like-client.js';

/**
 * Readers of core's script replies, for `LockBackend`s built on core's scripts (redlock runs
 * them on every node). Each throws an `Error` naming the script when a reply has another shape.
 */

/** The error for a script reply of the wrong shape. */
export function unexpectedReply(script: string, reply: RedisReply): Error {
  return new Error(`Unexpected reply from the ${script} script: ${JSON.stringify(reply)}`);
}

/** Reads a `{a, b}` integer pair. */
export function integerPair(script: string, reply: RedisReply): [number, number] {
  if (Array.isArray(reply) && reply.length === 2) {
    const a = Number(reply[0]);
    const b = Number(reply[1]);
    if (Number.isFinite(a) && Number.isFinite(b)) return [a, b];
  }
  throw unexpectedReply(script, reply);
}

/** Reads the `{1, fence}` / `{0, pttl}` reply every acquire script gives. */
export function acquireReply(script: string, reply: RedisReply): AcquireReply {
  const [status, value] = integerPair(script, reply);
  return status === 1 ? { acquired: true, fence: value } : { acquired: false, pttl: value };
}
