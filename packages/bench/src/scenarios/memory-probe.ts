/**
 * Child process of the memory scenario (run with `--expose-gc`): one implementation holds
 * `--locks` locks with auto-extension on for `--hold-ms`, and prints one JSON line with what
 * that cost. A fresh process per implementation, so one's heap never counts for another.
 */
import { parseArgs } from 'node:util';
import type { HeldLock } from '../implementations/lock-client.js';
import { implementations } from '../implementations/registry.js';
import type { MemoryResult } from '../results.js';
import { describeError } from './scenario-context.js';

const { values } = parseArgs({
  options: {
    impl: { type: 'string' },
    port: { type: 'string' },
    locks: { type: 'string' },
    ttl: { type: 'string' },
    'hold-ms': { type: 'string' },
  },
});
const impl = implementations.find((i) => i.id === values.impl);
const locks = Number(values.locks);
const ttl = Number(values.ttl);
const holdMs = Number(values['hold-ms']);
const gc = (globalThis as { gc?: () => void }).gc;
if (impl === undefined || gc === undefined) {
  throw new Error(
    'usage: node --expose-gc --import tsx memory-probe.ts --impl <id> --port <port> ...',
  );
}

/** Heap and handles after a forced full GC, at one moment. */
let gcMaxMs = 0;
const reading = async () => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  const started = performance.now();
  gc();
  gcMaxMs = Math.max(gcMaxMs, performance.now() - started);
  return {
    heap: process.memoryUsage().heapUsed,
    handles: process.getActiveResourcesInfo().length,
  };
};

/**
 * The quietest of three readings spread over `spanMs` (one extension interval, so that a
 * quiet moment is among them): the extensions in flight at any moment
 * (thousands of pending commands with 10,000 locks) come and go, and are not what the locks
 * themselves cost. Few readings: each full GC of a big heap stalls the process, and too many
 * would starve the extensions being measured.
 */
const settle = async (spanMs = 0) => {
  let quiet = await reading();
  for (let i = 1; i < 3 && spanMs > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, spanMs / 2));
    const next = await reading();
    quiet = {
      heap: Math.min(quiet.heap, next.heap),
      handles: Math.min(quiet.handles, next.handles),
    };
  }
  return quiet;
};

const client = await impl.open([{ host: '127.0.0.1', port: Number(values.port) }]);

/** Acquires `locks` locks, 100 at a time. */
async function holdAll(pass: number): Promise<HeldLock[]> {
  const held: HeldLock[] = [];
  for (let i = 0; i < locks; i += 100) {
    const count = Math.min(100, locks - i);
    held.push(
      ...(await Promise.all(
        Array.from({ length: count }, (_, j) =>
          client.hold!(`bench:memory:${impl!.id}:${pass}:${i + j}`, ttl),
        ),
      )),
    );
  }
  return held;
}

const interval = Math.max(250, Math.round(ttl / 3));

/**
 * Quiet heap readings while the locks are held: after the first extension round, half way,
 * and at the end of `ms`.
 */
async function sampleWhileHeld(ms: number): Promise<number[]> {
  const started = performance.now();
  const samples: number[] = [];
  for (const at of [interval, ms / 2, ms]) {
    const wait = at - interval / 2 - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    samples.push((await settle(interval)).heap);
  }
  return samples;
}

let result: MemoryResult;
try {
  // One lock first, so that connections, subscriptions and caches count in the baseline.
  await (await client.hold!(`bench:memory:${impl.id}:warm`, ttl)).release();
  const baseline = await settle(400);
  const started = performance.now();
  let held = await holdAll(1);
  const acquireMs = performance.now() - started;
  const first = await settle(interval);
  const samples = await sampleWhileHeld(holdMs);
  const counters = client.counters?.();
  await Promise.all(held.map((lock) => lock.release()));
  const released = held.length;
  held = [];
  const afterFirst = await settle(400);
  // A second, shorter pass: what the first left behind must not pile up.
  held = await holdAll(2);
  await sampleWhileHeld(2 * interval);
  await Promise.all(held.map((lock) => lock.release()));
  held = [];
  const afterSecond = await settle(400);
  result = {
    id: impl.id,
    locks,
    held: released,
    heapPerLock: (first.heap - baseline.heap) / locks,
    handlesPerLock: (first.handles - baseline.handles) / locks,
    // From the reading after the first extension round on: that round allocates what
    // extending needs once (compiled code, grown client buffers), which is not growth.
    growthBytes: samples[samples.length - 1]! - samples[0]!,
    heapSamples: samples,
    leftBytes: afterFirst.heap - baseline.heap,
    leftHandles: afterFirst.handles - baseline.handles,
    passGrowthBytes: afterSecond.heap - afterFirst.heap,
    extensions: counters?.extensions,
    lost: client.counters?.().lost,
    acquireMs,
    gcMaxMs,
  };
} catch (error) {
  result = {
    id: impl.id,
    locks,
    held: 0,
    heapPerLock: Number.NaN,
    handlesPerLock: Number.NaN,
    growthBytes: Number.NaN,
    heapSamples: [],
    leftBytes: Number.NaN,
    leftHandles: Number.NaN,
    passGrowthBytes: Number.NaN,
    extensions: undefined,
    lost: undefined,
    acquireMs: Number.NaN,
    gcMaxMs,
    error: describeError(error),
  };
}
await client.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
