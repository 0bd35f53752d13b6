/**
 * One worker process of a chaos scenario. It takes the scenario's lock again and again
 * (`acquire`, `tryAcquire` or `withLock`, picked at random from a seeded generator), and
 * inside each critical section:
 * 1. registers its fence with the fenced store (`begin`),
 * 2. reads the unfenced counter,
 * 3. works for a while, or parks when the orchestrator asked it to (so that a SIGSTOP or
 *    SIGKILL lands inside the critical section, between the read and the write),
 * 4. writes read+1 to the counter only while `lock.isHeld` with a margin and the signal is
 *    not aborted,
 * 5. writes to the fenced store with its fence, always: a holder stopped past its ttl that
 *    resumes here writes with its old fence, and the store must reject that.
 *
 * Every step is printed on stdout as a history event (see history-event.ts). Commands come
 * on stdin: `park`, `unpark`, `go`, `stop`. Run with `node --import tsx`.
 */
import { createInterface } from 'node:readline';
import { createLocks, fromIoredis, type Lock, type LockEvent, type Locks } from '@deadbolt/ioredis';
import { createRedlock } from '@deadbolt/redlock';
import { Redis } from 'ioredis';
import type { AcquireStyle, HistoryEvent, HoldKind } from '../history/history-event.js';
import { seededRandom } from '../seeded-random.js';
import { ChaosStore } from '../store/chaos-store.js';
import type { WorkerCommand, WorkerConfig } from './worker-config.js';

type EventInput = HistoryEvent extends infer E
  ? E extends HistoryEvent
    ? Omit<E, 'worker' | 't'>
    : never
  : never;

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const random = seededRandom(config.seed);
const now = () => process.hrtime.bigint();

function record(event: EventInput, at: bigint = now()): void {
  process.stdout.write(
    `${JSON.stringify({ ...event, worker: config.worker, t: at.toString() })}\n`,
  );
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, reason, name } = error as { code?: unknown; reason?: unknown; name?: unknown };
    if (typeof code === 'string') return typeof reason === 'string' ? `${code}:${reason}` : code;
    if (typeof name === 'string') return name;
  }
  return String(error);
}

process.on('unhandledRejection', (error) => record({ type: 'unhandled', error: describe(error) }));
process.on('uncaughtException', (error) => record({ type: 'unhandled', error: describe(error) }));

/** The error's name, message and stack (an unhandled error must be traceable from the report). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frames =
    error.stack
      ?.split('\n')
      .slice(1, 9)
      .map((line) => line.trim()) ?? [];
  return [`${error.name}: ${error.message}`, ...frames].join(' | ');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const between = ([min, max]: [number, number]) => random.int(min, max);
const validUntil = (lock: Lock) => (now() + BigInt(lock.remaining()) * 1_000_000n).toString();

// --- control from the orchestrator ---------------------------------------------------------
let stopping = false;
let parkRequested = false;
let releaseParked: (() => void) | undefined;

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = line.trim() as WorkerCommand;
  if (command === 'park') parkRequested = true;
  if (command === 'unpark') parkRequested = false;
  if (command === 'go' || command === 'unpark' || command === 'stop') {
    releaseParked?.();
    releaseParked = undefined;
  }
  if (command === 'stop') stopping = true;
});
process.stdin.on('end', () => {
  // The orchestrator is gone: finish quickly, and make sure not to linger.
  stopping = true;
  releaseParked?.();
  setTimeout(() => process.exit(1), 3_000).unref();
});

// --- the locks -------------------------------------------------------------------------------
let current: { op: number; lock: Lock } | undefined;
const onEvent = (event: LockEvent) => {
  if (event.type === 'error') {
    record({ type: 'lock-error', name: event.name, error: describe(event.error).slice(0, 200) });
  }
  if (event.type === 'extended' && current !== undefined && current.lock.isHeld) {
    record({ type: 'extended', op: current.op, validUntil: validUntil(current.lock) });
  }
};

const clients: Redis[] =
  config.backend === 'single'
    ? [new Redis({ host: '127.0.0.1', port: config.ports[0]! })]
    : config.ports.map(
        (port) =>
          // As redlock's README asks: keep queued commands in order across reconnects and
          // never drop them, and reconnect at once when a node is back.
          new Redis({
            host: '127.0.0.1',
            port,
            maxRetriesPerRequest: null,
            retryStrategy: () => 20,
          }),
      );
for (const client of clients) client.on('error', () => {});
const locks: Locks =
  config.backend === 'single'
    ? createLocks(clients[0]!, { ttl: config.ttl, wait: config.wait, onEvent })
    : createRedlock(
        clients.map((c) => fromIoredis(c)),
        { ttl: config.ttl, wait: config.wait, onEvent },
      );
const store = new ChaosStore(config.storePort, config.store);

/** The three ways to take a hold, for the scenario's primitive and the hold's kind. */
function holds(kind: HoldKind) {
  const options = { ttl: config.ttl, wait: config.wait };
  if (config.primitive === 'semaphore') {
    const semaphore = locks.semaphore(config.name, { limit: config.limit });
    return {
      acquire: () => semaphore.acquire(options),
      tryAcquire: () => semaphore.tryAcquire({ ttl: config.ttl }),
      withLock: <T>(fn: (lock: Lock) => Promise<T>) => semaphore.withPermit(fn, options),
    };
  }
  if (config.primitive === 'read-write') {
    const rw = locks.readWrite(config.name);
    const write = kind === 'write';
    return {
      acquire: () => (write ? rw.write(options) : rw.read(options)),
      tryAcquire: () => (write ? rw.write : rw.read)({ ttl: config.ttl, wait: 0 }),
      withLock: <T>(fn: (lock: Lock) => Promise<T>) =>
        write ? rw.withWrite(fn, options) : rw.withRead(fn, options),
    };
  }
  return {
    acquire: () => locks.acquire(config.name, options),
    tryAcquire: () => locks.tryAcquire(config.name, { ttl: config.ttl }),
    withLock: <T>(fn: (lock: Lock) => Promise<T>) => locks.withLock(config.name, fn, options),
  };
}

/** Holds whose section does the counter and fenced-store writes. */
const writes = (kind: HoldKind) => kind === 'mutex' || kind === 'write';

async function criticalSection(op: number, kind: HoldKind, style: AcquireStyle, lock: Lock) {
  current = { op, lock };
  record({ type: 'ok', op, kind, fence: lock.fence, validUntil: validUntil(lock) });
  lock.signal.addEventListener('abort', () => {
    const reason = lock.signal.reason as { reason?: unknown } | undefined;
    record({ type: 'lost', op, reason: String(reason?.reason ?? 'unknown') });
  });
  record({ type: 'enter', op });
  let read = 0;
  if (writes(kind)) {
    const sent = now();
    const begin = await store.begin(lock.fence);
    record(
      {
        type: 'begin',
        op,
        fence: lock.fence,
        accepted: begin.accepted,
        max: begin.max,
        done: now().toString(),
      },
      sent,
    );
    read = await store.readCounter();
    record({ type: 'read', op, value: read });
  }
  if (parkRequested && kind !== 'read') {
    parkRequested = false;
    record({ type: 'park', op, fence: lock.fence, validUntil: validUntil(lock) });
    await new Promise<void>((resolve) => {
      releaseParked = resolve;
      if (stopping) resolve();
    });
    record({ type: 'resumed', op, aborted: lock.signal.aborted, held: lock.isHeld });
  } else {
    await sleep(between(config.workMs));
  }
  if (style === 'acquire' && kind !== 'read' && random.next() < config.extendShare) {
    try {
      await lock.extend();
      if (lock.isHeld) record({ type: 'extended', op, validUntil: validUntil(lock) });
    } catch (error) {
      record({ type: 'after', op, error: `extend:${errorCode(error)}` });
    }
  }
  if (writes(kind)) {
    const safe = lock.isHeld && lock.remaining() > config.writeMarginMs && !lock.signal.aborted;
    if (safe) {
      record({ type: 'w-inv', op, value: read + 1 });
      await store.writeCounter(read + 1);
      record({ type: 'w-ok', op, value: read + 1 });
    } else {
      record({ type: 'w-skip', op, aborted: lock.signal.aborted, held: lock.isHeld });
    }
    const held = lock.isHeld;
    const aborted = lock.signal.aborted;
    const sent = now();
    const reply = await store.write(lock.fence, `${config.worker}#${op}`);
    record(
      {
        type: 'fenced-write',
        op,
        fence: lock.fence,
        accepted: reply.accepted,
        max: reply.max,
        done: now().toString(),
        held,
        aborted,
      },
      sent,
    );
  }
  record({ type: 'exit', op });
  current = undefined;
}

async function oneRound(op: number): Promise<void> {
  const kind: HoldKind =
    config.primitive === 'semaphore'
      ? 'permit'
      : config.primitive === 'read-write'
        ? random.next() < config.writeShare || parkRequested
          ? 'write'
          : 'read'
        : 'mutex';
  const style = random.pick(config.styles);
  const hold = holds(kind);
  record({ type: 'invoke', op, kind, style });
  let entered = false;
  try {
    if (style === 'withLock') {
      await hold.withLock(async (lock) => {
        entered = true;
        await criticalSection(op, kind, style, lock);
      });
      return;
    }
    const lock = style === 'acquire' ? await hold.acquire() : await hold.tryAcquire();
    if (lock === null) {
      record({ type: 'fail', op, kind, error: 'refused' });
      await sleep(random.int(2, 15));
      return;
    }
    entered = true;
    try {
      await criticalSection(op, kind, style, lock);
    } finally {
      try {
        record({ type: 'release', op, result: String(await lock.release()) });
      } catch (error) {
        record({ type: 'release', op, result: `error:${errorCode(error)}` });
      }
    }
  } catch (error) {
    if (entered) record({ type: 'after', op, error: errorCode(error) });
    else {
      record({ type: 'fail', op, kind, error: errorCode(error) });
      await sleep(random.int(10, 50));
    }
  }
}

record({ type: 'start', pid: process.pid });
for (let op = 1; !stopping; op++) {
  await oneRound(op);
  await sleep(between(config.pauseMs));
}
await locks.close();
for (const client of clients) client.disconnect();
store.disconnect();
record({ type: 'done' });
commands.close();
process.stdin.destroy();
