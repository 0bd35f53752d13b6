/**
 * The bad-input fuzz, as a child process of its own (so that its process-wide listeners for
 * unhandled rejections and uncaught exceptions see only the fuzz). Argument: a JSON object
 * `{ port, runs, seed }`. Prints one JSON line, `{ "fuzz": FuzzOutcome[] }`.
 *
 * For every public function it generates `runs` calls with exactly one bad argument or
 * option and checks that each one:
 * - fails with a TypeError, RangeError or DeadboltError whose message names the argument,
 * - sends nothing to Redis (the client is wrapped in a counter; any eval, evalsha or
 *   subscribe during the call fails the property), and leaves the keyspace as it was (DBSIZE
 *   and a SCAN with a DUMP of every key, before and after),
 * - leaves no unhandled rejection or uncaught exception behind.
 */
import { DeadboltError, type Lock, type RedisLikeClient } from '@deadbolt/core';
import { createLocks, fromIoredis } from '@deadbolt/ioredis';
import { createRedlock } from '@deadbolt/redlock';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { mixSeed } from '../seeded-random.js';
import { type FuzzTarget, fuzzTargets } from './fuzz-targets.js';
import { probeNullAsUnset } from './null-as-unset.js';

/** What the fuzz found for one function. */
export interface FuzzOutcome {
  name: string;
  /** Generated calls run (fast-check's runs, plus shrinking after a failure). */
  calls: number;
  typeErrors: number;
  rangeErrors: number;
  deadboltErrors: number;
  /** fast-check's report of the first failing call, shrunk; undefined when all passed. */
  failure: string | undefined;
  unhandled: number;
  keyspaceChanged: boolean;
}

const { port, runs, seed } = JSON.parse(process.argv[2] ?? '{}') as {
  port: number;
  runs: number;
  seed: number;
};
const CALL_TIMEOUT_MS = 2_000;

let unhandled = 0;
process.on('unhandledRejection', () => {
  unhandled++;
});
process.on('uncaughtException', () => {
  unhandled++;
});

/** Counts every command a wrapped client sends. */
const sent = { count: 0 };
function counting(client: RedisLikeClient): RedisLikeClient {
  return {
    eval: (...args) => {
      sent.count++;
      return client.eval(...args);
    },
    evalsha: (...args) => {
      sent.count++;
      return client.evalsha(...args);
    },
    subscribe: (...args) => {
      sent.count++;
      return client.subscribe!(...args);
    },
  };
}

const connections = Array.from({ length: 7 }, () => new Redis({ host: '127.0.0.1', port }));
const admin = new Redis({ host: '127.0.0.1', port });
const pool = connections.map((c) => counting(fromIoredis(c)));
const locks = createLocks(pool[0]!);
const redlock = createRedlock(pool.slice(0, 3));
const long = { ttl: 600_000 };
const held: Lock[] = [
  await locks.acquire('fuzz:held', long),
  await locks.semaphore('fuzz:held-permits', { limit: 2 }).acquire(long),
  await locks.readWrite('fuzz:held-read').read(long),
  await locks.readWrite('fuzz:held-write').write(long),
];

async function keyspace(): Promise<string> {
  const size = await admin.dbsize();
  const entries: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'COUNT', 1_000);
    cursor = next;
    for (const key of keys) {
      const dump = await admin.dumpBuffer(key);
      entries.push(`${key}=${dump?.toString('hex') ?? 'nil'}`);
    }
  } while (cursor !== '0');
  return `${size}|${entries.sort().join('|')}`;
}

type Settled =
  | { status: 'fulfilled'; value: unknown }
  | { status: 'rejected'; reason: unknown }
  | { status: 'timeout' };

async function settle(run: () => unknown): Promise<Settled> {
  let value: unknown;
  try {
    value = run();
  } catch (reason) {
    return { status: 'rejected', reason };
  }
  if (!(value instanceof Promise)) return { status: 'fulfilled', value };
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    value.then(
      (v: unknown): Settled => ({ status: 'fulfilled', value: v }),
      (reason: unknown): Settled => ({ status: 'rejected', reason }),
    ),
    new Promise<Settled>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'timeout' }), CALL_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}

function errorKind(error: unknown): 'typeErrors' | 'rangeErrors' | 'deadboltErrors' | undefined {
  if (DeadboltError.isInstance(error)) return 'deadboltErrors';
  if (error instanceof RangeError) return 'rangeErrors';
  if (error instanceof TypeError) return 'typeErrors';
  return undefined;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

async function fuzz(target: FuzzTarget): Promise<FuzzOutcome> {
  const outcome: FuzzOutcome = {
    name: target.name,
    calls: 0,
    typeErrors: 0,
    rangeErrors: 0,
    deadboltErrors: 0,
    failure: undefined,
    unhandled: 0,
    keyspaceChanged: false,
  };
  const before = await keyspace();
  const unhandledBefore = unhandled;
  const property = fc.asyncProperty(target.calls, async (badCall) => {
    outcome.calls++;
    const sentBefore = sent.count;
    const result = await settle(() => target.invoke(badCall.args));
    if (sent.count !== sentBefore) {
      throw new Error(`the call reached Redis (${sent.count - sentBefore} command(s))`);
    }
    if (result.status === 'timeout') throw new Error(`did not settle within ${CALL_TIMEOUT_MS} ms`);
    if (result.status === 'fulfilled') throw new Error('accepted the bad input');
    const kind = errorKind(result.reason);
    if (kind === undefined) throw new Error(`failed with a wrong error: ${String(result.reason)}`);
    const message = (result.reason as Error).message;
    const unsupported =
      target.unsupported === true && (result.reason as { code?: unknown }).code === 'UNSUPPORTED';
    if (!unsupported && !message.includes(badCall.expect)) {
      throw new Error(`the error does not name "${badCall.expect}": ${message}`);
    }
    outcome[kind]++;
  });
  try {
    await fc.assert(property, { numRuns: runs, seed: mixSeed(seed, target.name) });
  } catch (error) {
    outcome.failure = String((error as Error).message).slice(0, 1_500);
  }
  await flush();
  outcome.unhandled = unhandled - unhandledBefore;
  outcome.keyspaceChanged = (await keyspace()) !== before;
  return outcome;
}

const outcomes: FuzzOutcome[] = [];
for (const target of fuzzTargets({ client: pool[0]!, pool, locks, redlock, held })) {
  outcomes.push(await fuzz(target));
}
const nullAsUnset = probeNullAsUnset(pool[0]!, pool.slice(0, 3));
const stillHeld = held.every((lock) => lock.isHeld);
for (const lock of held) await lock.release();
await locks.close();
await redlock.close();
for (const connection of [...connections, admin]) connection.disconnect();
process.stdout.write(
  `${JSON.stringify({ fuzz: outcomes, heldThroughout: stillHeld, nullAsUnset })}\n`,
);
