/**
 * The adapter for ioredis 5 and 6 (`Redis` and `Cluster`). Re-exports all of `@deadbolt/core`.
 *
 * @packageDocumentation
 * @module @deadbolt/ioredis
 */
export * from '@deadbolt/ioredis';
