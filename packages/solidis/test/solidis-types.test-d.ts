// Type-level tests, checked by `tsc --noEmit -p packages/solidis/tsconfig.json`.
//
// solidis cannot be installed here, so `Declared*` restate how solidis 0.3 DECLARES the members
// the adapter relies on (read from its public source: the generic `on` keyed by its event map,
// commands taking `this`, `extend` binding them). If these compile, the real classes fit the
// adapter's structural types.
import { EventEmitter } from 'node:events';
import { expectTypeOf, test } from 'vitest';
import {
  createLocks,
  fromSolidis,
  type Locks,
  type RedisLikeClient,
  type SolidisScriptClient,
  type SolidisSubscriberClient,
} from '../src/index.js';

type StringOrBuffer = string | Buffer;
type DeclaredData = string | number | bigint | boolean | null | Buffer | Error | DeclaredData[];
interface DeclaredEvents {
  smessage: (channel: string, message: StringOrBuffer) => void;
  message: (channel: string, message: StringOrBuffer) => void;
  reconnected: () => void;
  ready: () => void;
  error: (error: Error) => void;
}
declare function evaluate<T>(
  this: T,
  script: string,
  keys: string[],
  parameters: string[],
): Promise<DeclaredData>;
declare function evalsha<T>(
  this: T,
  sha1: string,
  keys: string[],
  parameters: string[],
): Promise<DeclaredData>;
declare function ssubscribe<T>(this: T, ...channels: string[]): Promise<void>;
declare function sunsubscribe<T>(this: T, ...channels: string[]): Promise<void>;

declare class DeclaredSolidisClient extends EventEmitter {
  on: <E extends keyof DeclaredEvents>(event: E, listener: DeclaredEvents[E]) => this;
  send(commands: StringOrBuffer[][]): Promise<DeclaredData[][]>;
  quit(): void;
  extend<T extends Record<string, unknown>>(
    extensions: T,
  ): this & { [K in keyof T]: OmitThisParameter<T[K]> };
}
declare class DeclaredSolidisFeaturedClient extends DeclaredSolidisClient {
  eval: typeof evaluate;
  evalsha: typeof evalsha;
  ssubscribe: typeof ssubscribe;
  sunsubscribe: typeof sunsubscribe;
}

test('a SolidisFeaturedClient fits both roles', () => {
  const client = new DeclaredSolidisFeaturedClient();
  expectTypeOf(client).toExtend<SolidisScriptClient>();
  expectTypeOf(client).toExtend<SolidisSubscriberClient>();
  expectTypeOf(fromSolidis(client)).toExtend<RedisLikeClient>();
  expectTypeOf(
    createLocks(client, { ttl: 1_000, subscriber: () => new DeclaredSolidisFeaturedClient() }),
  ).toEqualTypeOf<Locks>();
});

test('a SolidisClient fits once extended with the commands deadbolt uses', () => {
  const base = new DeclaredSolidisClient();
  expectTypeOf(base).not.toExtend<SolidisScriptClient>();
  const scripts = base.extend({ eval: evaluate, evalsha });
  expectTypeOf(scripts).toExtend<SolidisScriptClient>();
  const subscriber = () => new DeclaredSolidisClient().extend({ ssubscribe, sunsubscribe });
  expectTypeOf(fromSolidis(scripts, { subscriber })).toExtend<RedisLikeClient>();
});

test('createLocks also takes any RedisLikeClient', () => {
  const custom = {} as RedisLikeClient;
  expectTypeOf(createLocks(custom)).toEqualTypeOf<Locks>();
});
