/**
 * Benchmark: a sequential acquire + release cycle through redlock, next to the floor any
 * quorum lock has to pay: a raw `SET key token NX PX ttl` sent to every node in parallel,
 * waiting for a quorum of replies, then a raw `EVALSHA` release (GET == token -> DEL) the
 * same way. Both run on the same servers and connections, interleaved in rounds (the order
 * alternates each round) so that machine noise hits both alike.
 *
 * Run: `pnpm --filter @deadbolt/redlock bench`. It builds redlock and what it depends on
 * (turbo, cached), then measures the built packages, as an application would run them:
 * `bench/tsconfig.json` has no `paths`, so tsx resolves `@deadbolt/*` to their `dist`, not to
 * the sources (tsx compiles sources with esbuild's `keepNames`, whose helper call on every
 * closure costs more than the code under test). Options: `--rounds 10 --cycles 300
 * --nodes 3,5`.
 * Prints p50 / p99 per cycle for each and their ratio; the goal is redlock ≤ 1.1× the floor.
 * Two more variants split the gap: `scripts` sends core's Lua scripts the same raw way (the
 * cost of the scripts on the servers), `backend` calls redlock's `QuorumBackend` directly
 * (the quorum calls without core's `Locks` layer on top).
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { acquireScript, lockKeys, releaseScript } from '@deadbolt/core';
import { fromIoredis } from '@deadbolt/ioredis';
import { createRedlock, DEFAULT_NODE_TIMEOUT, QuorumBackend } from '@deadbolt/redlock';
import { type RedisServer, startRedisServers } from '@deadbolt/testkit';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    cycles: { type: 'string', default: '300' },
    nodes: { type: 'string', default: '3,5' },
  },
});
const rounds = Number(values.rounds);
const cycles = Number(values.cycles);
const nodeCounts = values.nodes.split(',').map(Number);
const TTL = 10_000;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RELEASE_SHA = createHash('sha1').update(RELEASE).digest('hex');

/** Resolves once `quorum` of the promises resolved (the floor ignores failures: none here). */
function quorumOf(promises: Promise<unknown>[], quorum: number): Promise<void> {
  return new Promise((resolve) => {
    let done = 0;
    for (const promise of promises) {
      promise.then(() => {
        if (++done === quorum) resolve();
      });
    }
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Stat {
  label: string;
  p50: number;
  p99: number;
  mean: number;
}

interface Variant {
  label: string;
  cycle(): Promise<void>;
  samples: number[];
}

async function setUp(servers: RedisServer[]) {
  const clients = servers.map((s) => {
    const client = new Redis({ host: '127.0.0.1', port: s.port, maxRetriesPerRequest: null });
    client.on('error', () => {});
    return client;
  });
  await Promise.all(
    clients.flatMap((c) =>
      [RELEASE, acquireScript.source, releaseScript.source].map((lua) => c.script('LOAD', lua)),
    ),
  );
  const n = clients.length;
  const quorum = Math.floor(n / 2) + 1;
  const locks = createRedlock(clients.map((c) => fromIoredis(c)));
  const floorKey = `bench:floor:${n}`;
  const lockName = `bench:redlock:${n}`;
  const scriptKeys = lockKeys('bench:', `scripts:${n}`);
  const backendKeys = lockKeys('bench:', `backend:${n}`);
  const backend = new QuorumBackend(
    clients.map((c) => fromIoredis(c)),
    { quorum, nodeTimeout: DEFAULT_NODE_TIMEOUT, wakeUpJitter: 10 },
  );
  const variants: Variant[] = [
    {
      label: `floor   ${n} nodes`,
      samples: [],
      async cycle() {
        const token = randomBytes(16).toString('hex');
        await quorumOf(
          clients.map((c) => c.set(floorKey, token, 'PX', TTL, 'NX')),
          quorum,
        );
        await quorumOf(
          clients.map((c) => c.evalsha(RELEASE_SHA, 1, floorKey, token)),
          quorum,
        );
      },
    },
    {
      // Not the goal's floor: the same parallel quorum calls with core's own Lua scripts
      // (acquire bumps the fence, release publishes a wake-up), sent as EVALSHA like redlock
      // does, to tell the cost of the scripts on the server from the cost of the library.
      label: `scripts ${n} nodes`,
      samples: [],
      async cycle() {
        const token = randomBytes(16).toString('hex');
        await quorumOf(
          clients.map((c) =>
            c.evalsha(acquireScript.sha1, 2, scriptKeys.key, scriptKeys.fenceKey, token, TTL),
          ),
          quorum,
        );
        await quorumOf(
          clients.map((c) =>
            c.evalsha(releaseScript.sha1, 1, scriptKeys.key, token, scriptKeys.channel),
          ),
          quorum,
        );
      },
    },
    {
      // redlock's own part: the quorum calls, without core's Locks layer (validity, handles,
      // events, timers) on top.
      label: `backend ${n} nodes`,
      samples: [],
      async cycle() {
        const token = randomBytes(16).toString('hex');
        await backend.acquire(backendKeys, token, 30_000);
        await backend.release(backendKeys, token);
      },
    },
    {
      label: `redlock ${n} nodes`,
      samples: [],
      async cycle() {
        const lock = await locks.acquire(lockName);
        await lock.release();
      },
    },
  ];
  return {
    variants,
    async close() {
      await locks.close();
      for (const c of clients) c.disconnect();
    },
  };
}

async function measure(variant: Variant, count: number, keep: boolean) {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await variant.cycle();
    if (keep) variant.samples.push(performance.now() - started);
  }
}

const servers = await startRedisServers(Math.max(...nodeCounts));
try {
  const setups = await Promise.all(nodeCounts.map((n) => setUp(servers.slice(0, n))));
  // Warm up: connections, script caches, JIT.
  for (const setup of setups) for (const v of setup.variants) await measure(v, 200, false);
  for (let round = 0; round < rounds; round++) {
    for (const setup of setups) {
      const order = round % 2 === 0 ? setup.variants : [...setup.variants].reverse();
      for (const variant of order) await measure(variant, cycles, true);
    }
  }
  console.log(
    `node ${process.version}, ${rounds} rounds x ${cycles} sequential cycles per variant, interleaved\n`,
  );
  console.log('variant            p50 (ms)  p99 (ms)  mean (ms)');
  for (const setup of setups) {
    const stats = setup.variants.map((v): Stat => {
      const sorted = [...v.samples].sort((a, b) => a - b);
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      return { label: v.label, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
    });
    for (const s of stats) {
      console.log(
        `${s.label}  ${s.p50.toFixed(3).padStart(8)}  ${s.p99.toFixed(3).padStart(8)}  ${s.mean.toFixed(3).padStart(9)}`,
      );
    }
    const [floor, scripts, backend, redlock] = stats as [Stat, Stat, Stat, Stat];
    const ratio = (a: Stat, b: Stat) =>
      `p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x, mean ${(a.mean / b.mean).toFixed(2)}x`;
    console.log(`redlock / floor:   ${ratio(redlock, floor)}   <- the goal: <= 1.10x`);
    console.log(
      `scripts / floor:   ${ratio(scripts, floor)}   (core's Lua scripts on the servers)`,
    );
    console.log(`backend / scripts: ${ratio(backend, scripts)}   (redlock's quorum calls)`);
    console.log(`redlock / backend: ${ratio(redlock, backend)}   (core's Locks layer)\n`);
  }
  await Promise.all(setups.map((s) => s.close()));
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
