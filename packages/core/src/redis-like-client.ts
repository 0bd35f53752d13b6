/**
 * A reply from a Lua script, as every adapter normalises it: integers become numbers, bulk and
 * status strings become strings, nil becomes `null`, and arrays stay arrays. deadbolt's scripts
 * return only these shapes, so RESP2 and RESP3 connections agree.
 */
export type RedisReply = null | number | string | RedisReply[];

/**
 * The one seam between deadbolt and a Redis client. Each adapter (`@deadbolt/ioredis`,
 * `@deadbolt/node-redis`, `@deadbolt/solidis`) implements it by translating calls and
 * normalising replies; every lock algorithm lives in `@deadbolt/core` and talks only to this.
 *
 * Implement it yourself to use a client deadbolt has no adapter for.
 */
export interface RedisLikeClient {
  /**
   * Runs a Lua script with `EVAL`.
   *
   * Resolves with the normalised reply. Rejects on an error reply; the error's message keeps
   * Redis's prefix (for example `"NOSCRIPT No matching script..."`).
   */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<RedisReply>;

  /**
   * Runs a cached Lua script with `EVALSHA`. Same reply and error rules as {@link eval}. core
   * owns the SHA-1 cache and falls back to `EVAL` when this rejects with `NOSCRIPT`, so an
   * adapter never loads scripts itself.
   */
  evalsha(sha1: string, keys: readonly string[], args: readonly string[]): Promise<RedisReply>;

  /**
   * Optional: subscribes to a sharded pub/sub channel (`SSUBSCRIBE`, Redis 7 and later) on a
   * dedicated connection that the adapter opens once and multiplexes. Resolves once Redis
   * confirmed the subscription; the returned function unsubscribes.
   *
   * deadbolt's release script announces each release with `SPUBLISH` on the lock's channel, so
   * waiters wake up at once instead of polling. After a reconnect the adapter should call
   * `onMessage` once per channel, because messages sent while it was disconnected are lost.
   * Without this method, waiters poll with jittered backoff.
   */
  subscribe?(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
}
