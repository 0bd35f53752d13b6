import {
  createLocks as createLocksCore,
  type Lock,
  type Locks,
  type RedisLikeClient,
} from '@deadbolt/core';
import { createLocks as createLocksIoredis, fromIoredis } from '@deadbolt/ioredis';
import { createRedlock } from '@deadbolt/redlock';
import fc, { type Arbitrary } from 'fast-check';
import {
  type Bad,
  badAcquireOptions,
  badClient,
  badLocksOptions,
  badMs,
  badName,
  badSemaphoreOptions,
  badTryAcquireOptions,
  missingOrBadFunction,
  validLocksOptions,
  validName,
} from './bad-input-arbitraries.js';

/** One generated bad call: the arguments, and the word its error must contain. */
export interface BadCall {
  args: unknown[];
  expect: string;
}

/** A public function and the bad calls to throw at it. */
export interface FuzzTarget {
  name: string;
  calls: Arbitrary<BadCall>;
  invoke(args: unknown[]): unknown;
  /**
   * Over redlock, `semaphore()` and `readWrite()` are not supported: a `DeadboltError` with
   * code `'UNSUPPORTED'` is a right answer to any call, also before a name is checked fully.
   */
  unsupported?: boolean;
}

/** What the targets run against: a `Locks` on one Redis, a redlock one, and held handles. */
export interface FuzzFixtures {
  client: RedisLikeClient;
  /** Distinct valid clients for `createRedlock` (at least 7). */
  pool: RedisLikeClient[];
  locks: Locks;
  redlock: Locks;
  /** A held mutex lock, semaphore permit, read hold and write hold (long ttl). */
  held: Lock[];
}

const call = (expect: string, ...args: unknown[]): BadCall => ({ args, expect });
const fn = async () => 1;
/** Pass any arguments through; the type checker is not the subject here. */
type Loose = (...args: unknown[]) => unknown;
const loose = (f: unknown) => f as Loose;

/** (valid name, bad options) or (bad name, valid-or-absent options). */
function nameAndOptions(badOpts: Arbitrary<Bad>): Arbitrary<BadCall> {
  return fc.oneof(
    badName.map((b) => call(b.expect, b.value)),
    fc.tuple(validName, badOpts).map(([name, b]) => call(b.expect, name, b.value)),
  );
}

/** For `withLock`-like calls: one of name, fn or options is bad. */
function nameFnAndOptions(badOpts: Arbitrary<Bad>): Arbitrary<BadCall> {
  return fc.oneof(
    badName.map((b) => call(b.expect, b.value, fn)),
    fc.tuple(validName, missingOrBadFunction('fn')).map(([n, b]) => call(b.expect, n, b.value)),
    fc.tuple(validName, badOpts).map(([n, b]) => call(b.expect, n, fn, b.value)),
  );
}

/** For methods of an object already made (`semaphore.acquire(options)`, ...). */
const optionsOnly = (badOpts: Arbitrary<Bad>) => badOpts.map((b) => call(b.expect, b.value));
const fnAndOptions = (badOpts: Arbitrary<Bad>) =>
  fc.oneof(
    missingOrBadFunction('fn').map((b) => call(b.expect, b.value)),
    badOpts.map((b) => call(b.expect, fn, b.value)),
  );

/** The `Locks` methods, on a `Locks` made by `label`. */
function locksTargets(label: string, locks: Locks): FuzzTarget[] {
  return [
    {
      name: `${label}.acquire`,
      calls: nameAndOptions(badAcquireOptions),
      invoke: (args) => loose(locks.acquire).apply(locks, args),
    },
    {
      name: `${label}.tryAcquire`,
      calls: nameAndOptions(badTryAcquireOptions),
      invoke: (args) => loose(locks.tryAcquire).apply(locks, args),
    },
    {
      name: `${label}.withLock`,
      calls: nameFnAndOptions(badAcquireOptions),
      invoke: (args) => loose(locks.withLock).apply(locks, args),
    },
    {
      name: `${label}.isLocked`,
      calls: badName.map((b) => call(b.expect, b.value)),
      invoke: (args) => loose(locks.isLocked).apply(locks, args),
    },
    {
      name: `${label}.inspect`,
      calls: badName.map((b) => call(b.expect, b.value)),
      invoke: (args) => loose(locks.inspect).apply(locks, args),
    },
    {
      name: `${label}.semaphore`,
      calls: fc.oneof(
        badName.map((b) => call(b.expect, b.value, { limit: 2 })),
        fc.tuple(validName, badSemaphoreOptions).map(([n, b]) => call(b.expect, n, b.value)),
      ),
      invoke: (args) => loose(locks.semaphore).apply(locks, args),
    },
    {
      name: `${label}.readWrite`,
      calls: badName.map((b) => call(b.expect, b.value)),
      invoke: (args) => loose(locks.readWrite).apply(locks, args),
    },
  ];
}

/** Every public function and option the fuzz covers. */
export function fuzzTargets(fixtures: FuzzFixtures): FuzzTarget[] {
  const { client, pool, locks, redlock, held } = fixtures;
  const semaphore = locks.semaphore('fuzz:semaphore', { limit: 3 });
  const rw = locks.readWrite('fuzz:rw');
  const validClients = fc.integer({ min: 1, max: pool.length }).map((n) => pool.slice(0, n));

  const createLocksCalls = (expectClient: string) =>
    fc.oneof(
      fc
        .tuple(badClient(expectClient), fc.record(validLocksOptions, { requiredKeys: [] }))
        .map(([b, options]) => call(b.expect, b.value, options)),
      badLocksOptions.map((b) => call(b.expect, client, b.value)),
    );

  const redlockCalls: Arbitrary<BadCall> = fc.oneof(
    badClient('clients')
      .filter((b) => !Array.isArray(b.value))
      .map((b) => call('clients', b.value)),
    fc.constant(call('clients', [])),
    fc.tuple(validClients, badClient('clients'), fc.nat()).map(([good, b, at]) => {
      const clients: unknown[] = [...good];
      clients.splice(at % (clients.length + 1), 0, b.value);
      return call('clients', clients);
    }),
    validClients.map((good) => call('clients', [...good, good[0]])),
    fc.tuple(validClients, badLocksOptions).map(([clients, b]) => call(b.expect, clients, b.value)),
    validClients.chain((clients) => {
      const n = clients.length;
      const majority = Math.floor(n / 2) + 1;
      return fc
        .oneof(
          fc.integer({ min: -100, max: majority - 1 }),
          fc.integer({ min: n + 1, max: n + 100 }),
          fc.double({ min: 1, max: 7, noNaN: true }).filter((d) => !Number.isInteger(d)),
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '3', true, [3], {}),
        )
        .map((quorum) => call('quorum', clients, { quorum }));
    }),
    fc
      .tuple(validClients, badMs(1, 'nodeTimeout', true))
      .map(([clients, b]) => call(b.expect, clients, { nodeTimeout: b.value })),
  );

  return [
    {
      name: 'createLocks (@deadbolt/core)',
      calls: createLocksCalls('client'),
      invoke: (args) => loose(createLocksCore)(...args),
    },
    {
      name: 'createLocks (@deadbolt/ioredis)',
      calls: createLocksCalls('client'),
      invoke: (args) => loose(createLocksIoredis)(...args),
    },
    {
      name: 'fromIoredis',
      calls: badClient('client').map((b) => call(b.expect, b.value)),
      invoke: (args) => loose(fromIoredis)(...args),
    },
    ...locksTargets('locks', locks),
    {
      name: 'semaphore.acquire',
      calls: optionsOnly(badAcquireOptions),
      invoke: (args) => loose(semaphore.acquire).apply(semaphore, args),
    },
    {
      name: 'semaphore.tryAcquire',
      calls: optionsOnly(badTryAcquireOptions),
      invoke: (args) => loose(semaphore.tryAcquire).apply(semaphore, args),
    },
    {
      name: 'semaphore.withPermit',
      calls: fnAndOptions(badAcquireOptions),
      invoke: (args) => loose(semaphore.withPermit).apply(semaphore, args),
    },
    {
      name: 'readWrite.read',
      calls: optionsOnly(badAcquireOptions),
      invoke: (args) => loose(rw.read).apply(rw, args),
    },
    {
      name: 'readWrite.write',
      calls: optionsOnly(badAcquireOptions),
      invoke: (args) => loose(rw.write).apply(rw, args),
    },
    {
      name: 'readWrite.withRead',
      calls: fnAndOptions(badAcquireOptions),
      invoke: (args) => loose(rw.withRead).apply(rw, args),
    },
    {
      name: 'readWrite.withWrite',
      calls: fnAndOptions(badAcquireOptions),
      invoke: (args) => loose(rw.withWrite).apply(rw, args),
    },
    {
      name: 'lock.extend (mutex, permit, read, write)',
      calls: fc
        .tuple(fc.nat({ max: held.length - 1 }), badMs(10, 'ttl'))
        .map(([which, b]) => call(b.expect, which, b.value)),
      invoke: ([which, ttl]) => {
        const lock = held[which as number]!;
        return loose(lock.extend).call(lock, ttl);
      },
    },
    {
      name: 'createRedlock',
      calls: redlockCalls,
      invoke: (args) => loose(createRedlock)(...args),
    },
    ...locksTargets('redlock', redlock).map((target) =>
      target.name.endsWith('.semaphore') || target.name.endsWith('.readWrite')
        ? { ...target, unsupported: true }
        : target,
    ),
  ];
}
