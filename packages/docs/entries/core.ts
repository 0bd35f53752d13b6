/**
 * Every lock algorithm, written once against the `RedisLikeClient` seam.
 *
 * @packageDocumentation
 * @module @deadbolt/core
 */
export * from '@deadbolt/core';
