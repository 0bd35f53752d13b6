/**
 * The leak check's child process. Runs `cycles` acquire/release cycles against one Redis,
 * mixing in waits (a second `Locks` waiting for the holder's release), aborts (a waiting
 * acquire cancelled by its signal), extensions (`extend()` and auto-extension), refused
 * `tryAcquire`s, semaphore permits and read/write holds. It measures the heap (after `gc()`,
 * so run it with `--expose-gc`) after a warm-up and again after the last cycle, prints one
 * JSON line, `{ "loopDone": ... }`, and then ends the way an application would: it leaves one
 * auto-extended lock and one plain lock held, does not call `close()`, quits its Redis
 * clients, and returns. No `process.exit`: the parent requires the process to end by itself
 * within a bound (held locks' timers are `unref`'d, so they must not keep it alive).
 *
 * Argument: a JSON object `{ port, cycles, warmup }`.
 */
import { createLocks, type Lock, LockLostError } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const { port, cycles, warmup } = JSON.parse(process.argv[2] ?? '{}') as {
  port: number;
  cycles: number;
  warmup: number;
};
const print = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
// Counted, not fatal. (No 'uncaughtException' listener: an error of this script itself must
// end the process at once, with a non-zero status, rather than leave it hanging.)
process.on('unhandledRejection', (error) => print({ unhandled: String(error) }));

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const redisA = new Redis({ host: '127.0.0.1', port });
const redisB = new Redis({ host: '127.0.0.1', port });
const a = createLocks(redisA, { ttl: 5_000, wait: 5_000 });
const b = createLocks(redisB, { ttl: 5_000, wait: 5_000 });
const counts = { cycles: 0, waits: 0, aborts: 0, extensions: 0, refused: 0, lost: 0, errors: 0 };
/** The first few cycles that failed, with why: any failure here is a finding. */
const errors: string[] = [];
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

async function cycle(i: number): Promise<void> {
  const name = `leak:${i % 8}`;
  switch (i % 20) {
    case 6:
    case 16: {
      // A wait: b waits for a's release and is woken by it.
      const held = await a.acquire(name);
      const waiting = b.acquire(name, { wait: 5_000 });
      await tick();
      await held.release();
      await (await waiting).release();
      counts.waits++;
      break;
    }
    case 7:
    case 17: {
      // An abort: b's pending acquire is cancelled by its signal.
      const held = await a.acquire(name);
      const controller = new AbortController();
      const waiting = b.acquire(name, { wait: 5_000, signal: controller.signal });
      await tick();
      controller.abort(new Error('leak-check abort'));
      await waiting.then(
        () => {
          throw new Error('an aborted acquire resolved');
        },
        () => {},
      );
      await held.release();
      counts.aborts++;
      break;
    }
    case 8:
    case 18: {
      const lock = await a.acquire(name, { ttl: 2_000 });
      await lock.extend(3_000);
      await lock.release();
      counts.extensions++;
      break;
    }
    case 9: {
      if (i % 100 !== 9) {
        await (await a.acquire(name)).release();
        break;
      }
      // Auto-extension: a 150 ms ttl is extended every 50 ms while fn runs for 60 ms. On a
      // loaded machine an extension can come too late and the lock is lost: that is the lock
      // doing its job, not a leak, so it is counted apart.
      try {
        await a.withLock(name, () => new Promise((resolve) => setTimeout(resolve, 60)), {
          ttl: 150,
        });
        counts.extensions++;
      } catch (error) {
        if (!LockLostError.isInstance(error)) throw error;
        counts.lost++;
      }
      break;
    }
    case 10: {
      const held = await a.acquire(name);
      if ((await b.tryAcquire(name)) !== null) throw new Error('tryAcquire got a held lock');
      await held.release();
      counts.refused++;
      break;
    }
    case 11: {
      const permit = await a.semaphore(`${name}:pool`, { limit: 2 }).acquire();
      await permit.release();
      break;
    }
    case 12: {
      const rw = a.readWrite(`${name}:rw`);
      await (await rw.read()).release();
      await (await rw.write()).release();
      break;
    }
    default: {
      const lock: Lock = await a.acquire(name);
      await lock.release();
    }
  }
  counts.cycles++;
}

async function guarded(i: number): Promise<void> {
  try {
    await cycle(i);
  } catch (error) {
    counts.errors++;
    if (errors.length < 5) errors.push(`cycle ${i} (case ${i % 20}): ${String(error)}`);
  }
}

for (let i = 0; i < warmup; i++) await guarded(i);
const heapBefore = heapUsed();
for (let i = warmup; i < warmup + cycles; i++) await guarded(i);
const heapAfter = heapUsed();
print({
  loopDone: process.hrtime.bigint().toString(),
  ...counts,
  cycles: counts.cycles - warmup,
  errors,
  heapBefore,
  heapAfter,
});

// End as an application would, with locks still held and no close().
await a.acquire('leak:held:auto', { ttl: 1_000, autoExtend: true });
await a.acquire('leak:held:plain', { ttl: 60_000 });
await redisA.quit();
await redisB.quit();
// Diagnostics only, if something keeps the process alive (this timer itself does not).
setTimeout(() => print({ stillAlive: process.getActiveResourcesInfo() }), 3_000).unref();
