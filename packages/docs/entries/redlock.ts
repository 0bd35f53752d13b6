/**
 * The same `Locks` API over N independent Redis nodes (a Redlock quorum).
 *
 * @packageDocumentation
 * @module @deadbolt/redlock
 */
export * from '@deadbolt/redlock';
