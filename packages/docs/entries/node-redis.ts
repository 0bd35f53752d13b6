/**
 * The adapter for node-redis 5 and 6 (`createClient` and `createCluster`). Re-exports all of `@deadbolt/core`.
 *
 * @packageDocumentation
 * @module @deadbolt/node-redis
 */
export * from '@deadbolt/node-redis';
