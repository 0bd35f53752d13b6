/**
 * The adapter for `@vcms-io/solidis`. Re-exports all of `@deadbolt/core`.
 *
 * @packageDocumentation
 * @module @deadbolt/solidis
 */
export * from '@deadbolt/solidis';
