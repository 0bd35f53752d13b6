/**
 * The part of redlock 5's API the benchmark uses. redlock@5.0.0-beta.2 ships types, but its
 * `exports` map does not point at them, so TypeScript's NodeNext resolution cannot find them.
 */
declare module 'redlock' {
  import { EventEmitter } from 'node:events';

  export interface Settings {
    readonly driftFactor: number;
    readonly retryCount: number;
    readonly retryDelay: number;
    readonly retryJitter: number;
    readonly automaticExtensionThreshold: number;
  }
  export class Lock {
    readonly resources: string[];
    readonly value: string;
    readonly attempts: ReadonlyArray<Promise<unknown>>;
    expiration: number;
    release(): Promise<unknown>;
    extend(duration: number): Promise<Lock>;
  }
  export class ResourceLockedError extends Error {}
  export class ExecutionError extends Error {
    readonly attempts: ReadonlyArray<Promise<unknown>>;
  }
  export default class Redlock extends EventEmitter {
    constructor(clients: Iterable<unknown>, settings?: Partial<Settings>);
    acquire(resources: string[], duration: number, settings?: Partial<Settings>): Promise<Lock>;
    using<T>(
      resources: string[],
      duration: number,
      routine: (signal: AbortSignal & { error?: Error }) => Promise<T>,
    ): Promise<T>;
    quit(): Promise<void>;
  }
}
