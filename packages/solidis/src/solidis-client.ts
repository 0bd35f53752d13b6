/**
 * The part of `@vcms-io/solidis` (0.3) that deadbolt uses, written out as structural types so
 * that this package neither imports nor installs solidis.
 */

/**
 * Runs scripts: a `SolidisFeaturedClient`, or a `SolidisClient` extended with
 * `{ eval: evaluate, evalsha }` from `@vcms-io/solidis/command/eval` and `.../evalsha`.
 * Both resolve the raw reply, error replies included (as `Error` values).
 */
export interface SolidisScriptClient {
  eval(script: string, keys: string[], parameters: string[]): Promise<unknown>;
  evalsha(sha1: string, keys: string[], parameters: string[]): Promise<unknown>;
}

/**
 * Receives release messages: a `SolidisFeaturedClient`, or a `SolidisClient` extended with
 * `{ ssubscribe, sunsubscribe }`. solidis resubscribes after a reconnect by itself
 * (`autoRecovery.ssubscribe`, on by default), then emits 'reconnected'.
 */
export interface SolidisSubscriberClient {
  ssubscribe(...channels: string[]): Promise<void>;
  sunsubscribe(...channels: string[]): Promise<void>;
  on(event: 'smessage', listener: (channel: string, message: string | Buffer) => void): unknown;
  on(event: 'reconnected', listener: () => void): unknown;
  /** Synchronous in solidis. */
  quit(): void;
}
