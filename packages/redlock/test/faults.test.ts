import {
  type LockEvent,
  LockLostError,
  type Locks,
  LockTimeoutError,
  QuorumError,
} from '@deadbolt/core';
import { useRedisServers } from '@deadbolt/testkit/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedlock, DEFAULT_NODE_TIMEOUT, type RedlockOptions } from '../src/index.js';
import { SUSPECT_BACKLOG } from '../src/quorum-backend.js';
import { connectQuorum, restoreNodes, waitUntilReady } from './quorum-nodes.js';

/** Generous bound for a call that must not wait on stopped nodes beyond `nodeTimeout`. */
const NO_WAIT_BOUND = DEFAULT_NODE_TIMEOUT + 400;
/** The bound the README states for a QuorumError with default options. */
const QUORUM_ERROR_BOUND = 1_000;

async function eventually<T>(check: () => T | Promise<T>, what: string, timeout = 10_000) {
  const deadline = performance.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function count(events: readonly LockEvent[], type: LockEvent['type']): number {
  return events.filter((e) => e.type === type).length;
}

async function timed<T>(call: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await call();
  return [value, performance.now() - started];
}

describe('redlock under faults · 5 nodes', () => {
  const handle = useRedisServers(5);
  let quorum: ReturnType<typeof connectQuorum>;
  const opened: Locks[] = [];
  let run = 0;
  const uniqueName = (hint: string) => `${hint}:${Date.now().toString(36)}:${++run}`;
  const keyOf = (name: string) => `deadbolt:{${name}}`;

  function locks(options?: RedlockOptions): Locks {
    const made = createRedlock(quorum.nodes, options);
    opened.push(made);
    return made;
  }

  beforeAll(() => {
    quorum = connectQuorum(handle.servers);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
    await restoreNodes(handle.servers, quorum.clients);
  });

  afterAll(() => {
    quorum?.close();
  });

  async function values(key: string): Promise<unknown[]> {
    return Promise.all(handle.servers.map((s) => s.command('GET', key)));
  }

  it('minority down: with 2 of 5 SIGSTOPped, acquire and release succeed without waiting on them', async () => {
    const redlock = locks();
    const other = locks();
    const name = uniqueName('minority');
    await redlock.isLocked(name); // connect and load scripts before the faults
    await handle.servers[1]!.pause();
    await handle.servers[3]!.pause();
    for (let i = 0; i < 10; i++) {
      const [lock, acquireMs] = await timed(() => redlock.acquire(name, { ttl: 10_000 }));
      expect(acquireMs).toBeLessThan(NO_WAIT_BOUND);
      expect(lock.isHeld).toBe(true);
      // Another owner sees contention (the three live nodes are ours), not an outage.
      const [refused, tryMs] = await timed(() => other.tryAcquire(name));
      expect(refused).toBeNull();
      expect(tryMs).toBeLessThan(NO_WAIT_BOUND);
      const [released, releaseMs] = await timed(() => lock.release());
      expect(released).toBe(true);
      expect(releaseMs).toBeLessThan(NO_WAIT_BOUND);
    }
    // A slow node never holds a decision back: even with a 10 s node timeout, a quorum of
    // fast nodes decides at once.
    const patient = locks({ nodeTimeout: 10_000 });
    const [lock, acquireMs] = await timed(() => patient.acquire(name));
    expect(acquireMs).toBeLessThan(NO_WAIT_BOUND);
    const [released, releaseMs] = await timed(() => lock.release());
    expect(released).toBe(true);
    expect(releaseMs).toBeLessThan(NO_WAIT_BOUND);
    // withLock, with auto-extension, works the same.
    expect(await redlock.withLock(name, async (held) => held.isHeld, { ttl: 300 })).toBe(true);

    await handle.servers[1]!.resume();
    await handle.servers[3]!.resume();
    // The commands that queued up for the stopped nodes ran in order: acquire, then release.
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === null),
      'no key left once the stopped nodes resume',
    );
  });

  it('majority down: with 3 of 5 SIGSTOPped, acquire fails fast with a QuorumError naming them', async () => {
    const redlock = locks();
    const name = uniqueName('majority');
    await redlock.isLocked(name);
    await Promise.all([0, 2, 4].map((i) => handle.servers[i]!.pause()));
    for (const call of [
      () => redlock.acquire(name, { wait: 10_000 }),
      () => redlock.tryAcquire(name),
    ]) {
      const [error, elapsed] = await timed(() =>
        call().then(
          () => new Error('acquired'),
          (e: unknown) => e,
        ),
      );
      // An outage is not contention: no waiting out the 10 s.
      expect(elapsed).toBeLessThan(QUORUM_ERROR_BOUND);
      expect(QuorumError.isInstance(error), String(error)).toBe(true);
      const quorumError = error as QuorumError;
      expect(quorumError).toMatchObject({ code: 'QUORUM', operation: 'acquire', quorum: 3 });
      expect(quorumError.nodes.map((n) => n.outcome)).toEqual([
        'timeout',
        'acquired',
        'timeout',
        'acquired',
        'timeout',
      ]);
      expect(quorumError.message).toMatch(/3 unavailable \(#0 timeout, #2 timeout, #4 timeout\)/);
      // The two live nodes gave their grant back at once.
      expect(await handle.servers[1]!.command('GET', keyOf(name))).toBeNull();
      expect(await handle.servers[3]!.command('GET', keyOf(name))).toBeNull();
    }
    await Promise.all([0, 2, 4].map((i) => handle.servers[i]!.resume()));
    // The late grants on the resumed nodes are undone by the releases queued behind them.
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === null),
      'late grants to be released',
    );
    // And the lock works again.
    const lock = await redlock.acquire(name);
    expect(await lock.release()).toBe(true);
  });

  it.each(['killed', 'paused'] as const)(
    'a %s node stops getting commands once it is backed up: calls made while it is down do not pile up for it',
    async (fault) => {
      const redlock = locks();
      const name = uniqueName(`pile-up-${fault}`);
      const node = handle.servers[0]!;
      // The node must have answered this redlock once: until then its calls get the
      // first-contact timeout (750 ms), and all of this test's cycles would go out before it.
      // isLocked resolves at a quorum; a PING behind it on the same connection comes back
      // only after node 0's answer to it was read.
      await redlock.isLocked(name);
      await quorum.clients[0]!.ping();
      await node.command('CONFIG', 'RESETSTAT');
      await (fault === 'killed' ? node.kill() : node.pause());
      const cycle = async () => {
        const lock = await redlock.acquire(name);
        expect(await lock.release()).toBe(true);
      };
      // Until one of its calls times out, the node is not known to be down: this cycle's
      // acquire and release go to it, and time out after `nodeTimeout`.
      await cycle();
      await new Promise((resolve) => setTimeout(resolve, 3 * DEFAULT_NODE_TIMEOUT));
      for (let i = 0; i < 100; i++) await cycle();
      // ioredis queues what it cannot send (its offline queue after the kill, the socket while
      // paused): everything that was sent runs once the node is back.
      await (fault === 'killed' ? node.restart() : node.resume());
      await waitUntilReady(quorum.clients);
      await eventually(
        async () => (await node.command('GET', keyOf(name))) === null,
        'what was queued for the node to run',
      );
      const stats = String(await node.command('INFO', 'commandstats'));
      const scriptCalls = [...stats.matchAll(/cmdstat_(?:eval|evalsha):calls=(\d+)/g)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
      // Sending every call would be an acquire and a release per cycle: 2 × 101. Once it was
      // suspect, the node got acquires until SUSPECT_BACKLOG were outstanding (and the
      // releases of the locks whose acquire it had been sent), then nothing more.
      expect(scriptCalls).toBeGreaterThan(0);
      expect(scriptCalls).toBeLessThanOrEqual(2 * SUSPECT_BACKLOG + 4);
      // Its first answer clears the suspicion: calls reach it again.
      await eventually(async () => {
        const lock = await redlock.acquire(name);
        const onNode = await node.command('GET', keyOf(name));
        await lock.release();
        return onNode === lock.token;
      }, 'the node to take part again');
    },
  );

  it('a release still reaches a node suspected down that holds our key, behind what is queued there', async () => {
    const redlock = locks();
    const name = uniqueName('suspect-release');
    const other = uniqueName('suspect-other');
    const node = handle.servers[0]!;
    const held = await redlock.acquire(name, { ttl: 60_000 });
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === held.token),
      'every node to grant',
    );
    await node.pause();
    // Another lock's calls time out on the paused node and back it up: it is suspect, and
    // acquires skip it.
    const first = await redlock.acquire(other);
    await first.release();
    await new Promise((resolve) => setTimeout(resolve, 3 * DEFAULT_NODE_TIMEOUT));
    for (let i = 0; i < 2 * SUSPECT_BACKLOG; i++) {
      const again = await redlock.acquire(other);
      await again.release();
    }
    // Our lock's key is on the paused node: the release goes there all the same.
    expect(await held.release()).toBe(true);
    await node.resume();
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === null),
      'the key on the resumed node to be released (not left for its 60 s ttl)',
    );
    expect(await node.command('GET', keyOf(other))).toBeNull();
  });

  it('majority down: release and inspect fail with the quorum error instead of guessing', async () => {
    const redlock = locks();
    const name = uniqueName('majority-release');
    const lock = await redlock.acquire(name, { ttl: 10_000 });
    await Promise.all([1, 2, 3].map((i) => handle.servers[i]!.pause()));
    const [releaseError, releaseMs] = await timed(() => lock.release().catch((e: unknown) => e));
    expect(releaseMs).toBeLessThan(QUORUM_ERROR_BOUND);
    expect(releaseError).toMatchObject({ code: 'REDIS_ERROR' });
    const cause = (releaseError as Error).cause as QuorumError;
    expect(QuorumError.isInstance(cause)).toBe(true);
    expect(cause.operation).toBe('release');
    expect(cause.nodes.map((n) => n.outcome)).toEqual([
      'acquired',
      'timeout',
      'timeout',
      'timeout',
      'acquired',
    ]);
    const [inspectError, inspectMs] = await timed(() =>
      redlock.isLocked(name).catch((e: unknown) => e),
    );
    expect(inspectMs).toBeLessThan(QUORUM_ERROR_BOUND);
    expect(inspectError).toMatchObject({ code: 'REDIS_ERROR' });
    expect((inspectError as Error).message).toMatch(/#1 timeout, #2 timeout, #3 timeout/);
    await Promise.all([1, 2, 3].map((i) => handle.servers[i]!.resume()));
    // The releases queued for the stopped nodes ran when they resumed.
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === null),
      'the queued releases to run',
    );
    expect(await redlock.isLocked(name)).toBe(false);
  });

  it('fences keep increasing when the node counters have drifted apart', async () => {
    const redlock = locks();
    const name = uniqueName('fence');
    const fenceKey = `${keyOf(name)}:fence`;
    await redlock.isLocked(name);
    // Node 0 handed out many more fences than the others (e.g. to attempts that lost).
    await handle.servers[0]!.command('SET', fenceKey, '50');
    // Nodes 3 and 4 stopped: the quorum is 0, 1 and 2, so node 0's counter counts.
    await Promise.all([3, 4].map((i) => handle.servers[i]!.pause()));
    const first = await redlock.acquire(name);
    expect(first.fence).toBe(51);
    await Promise.all([3, 4].map((i) => handle.servers[i]!.resume()));
    await first.release();
    // Every counter was raised to the fence handed out, so a quorum without node 0 still
    // hands out a larger one.
    await eventually(
      async () =>
        (await Promise.all(handle.servers.map((s) => s.command('GET', fenceKey)))).every(
          (v) => Number(v) >= 51,
        ),
      'every counter to be raised',
    );
    await handle.servers[0]!.pause();
    const second = await redlock.acquire(name);
    expect(second.fence).toBeGreaterThan(first.fence);
    await second.release();
    expect(await redlock.inspect(name)).toBeNull();
  });

  it('a waiter sleeps only until a quorum could be free, when the holders never release', async () => {
    const events: LockEvent[] = [];
    const redlock = locks({ onEvent: (e) => events.push(e) });
    const name = uniqueName('expiry');
    await redlock.isLocked(name);
    // Other owners, who will never release, on three nodes: they expire after 0.3, 4 and
    // 8 s. Nodes 3 and 4 are free, so one more node is needed: the one free after 0.3 s.
    const ttls = [300, 4_000, 8_000];
    await Promise.all(
      ttls.map((ttl, i) => handle.servers[i]!.command('SET', keyOf(name), `owner-${i}`, 'PX', ttl)),
    );
    const [lock, elapsed] = await timed(() => redlock.acquire(name, { wait: 10_000 }));
    expect(elapsed).toBeLessThan(2_500);
    expect(count(events, 'contended')).toBe(1);
    expect(await handle.servers[0]!.command('GET', keyOf(name))).toBe(lock.token);
    expect(await lock.release()).toBe(true);
  });

  it('a lock found lost at extension leaves none of its keys behind', async () => {
    const redlock = locks();
    const name = uniqueName('lost-cleanup');
    const lock = await redlock.acquire(name, { ttl: 10_000 });
    // The key vanishes on three of five nodes (e.g. they restarted empty at once).
    await Promise.all([0, 1, 2].map((i) => handle.servers[i]!.command('DEL', keyOf(name))));
    const error = await lock.extend().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOCK_LOST', reason: 'released-elsewhere' });
    // What was left on nodes 3 and 4 is given back rather than left to expire.
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === null),
      'the leftovers to be deleted',
    );
    expect(await lock.release()).toBe(false);
  });

  it('a node that answers with errors is reported as error, with the Redis error', async () => {
    const redlock = locks();
    const name = uniqueName('errors');
    await redlock.isLocked(name);
    // Out of memory: every write fails with an OOM error reply.
    await handle.servers[0]!.command('CONFIG', 'SET', 'maxmemory', '1');
    try {
      const lock = await redlock.acquire(name);
      expect(await lock.release()).toBe(true);
      await Promise.all([1, 2].map((i) => handle.servers[i]!.pause()));
      const error = await redlock.acquire(name).then(
        () => new Error('acquired'),
        (e: unknown) => e,
      );
      expect(QuorumError.isInstance(error), String(error)).toBe(true);
      const nodes = (error as QuorumError).nodes;
      expect(nodes.map((n) => n.outcome)).toEqual([
        'error',
        'timeout',
        'timeout',
        'acquired',
        'acquired',
      ]);
      expect(String(nodes[0]!.error)).toMatch(/OOM/);
    } finally {
      await handle.servers[0]!.command('CONFIG', 'SET', 'maxmemory', '0');
    }
  });

  it('a minority restarting empty lets no second holder in while the first holds a quorum', async () => {
    const first = locks();
    const second = locks();
    const name = uniqueName('restart');
    const held = await first.acquire(name, { ttl: 30_000 });
    // Every node has granted (the acquire returned as soon as three had): otherwise ioredis
    // would resend the acquire still in flight to a crashed node once it is back.
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === held.token),
      'every node to grant',
    );
    // Two of five nodes crash and come back empty (no persistence).
    await Promise.all([0, 1].map((i) => handle.servers[i]!.kill()));
    await Promise.all([0, 1].map((i) => handle.servers[i]!.restart({ empty: true })));
    await waitUntilReady(quorum.clients);
    expect(await handle.servers[0]!.command('GET', keyOf(name))).toBeNull();

    expect(await second.tryAcquire(name)).toBeNull();
    const refused = await second.acquire(name, { wait: 300 }).catch((e: unknown) => e);
    expect(LockTimeoutError.isInstance(refused), String(refused)).toBe(true);
    // The second owner gave back what it got on the empty nodes.
    await eventually(
      async () => (await handle.servers[0]!.command('GET', keyOf(name))) === null,
      'the partial grant to be released',
    );
    // The first still holds a quorum: extension and release work.
    await held.extend();
    expect(held.isHeld).toBe(true);
    expect(await held.release()).toBe(true);
    // Fences keep increasing: three of five counters survived.
    const next = await second.acquire(name);
    expect(next.fence).toBeGreaterThan(held.fence);
    await next.release();
  });

  it('without the delayed-restart rule, a majority restarting empty does let a second holder in', async () => {
    const first = locks();
    const second = locks();
    const name = uniqueName('restart-majority');
    const held = await first.acquire(name, { ttl: 30_000 });
    await eventually(
      async () => (await values(keyOf(name))).every((v) => v === held.token),
      'every node to grant',
    );
    // Three of five nodes crash and rejoin at once, empty: what the rule forbids.
    await Promise.all([0, 1, 2].map((i) => handle.servers[i]!.kill()));
    await Promise.all([0, 1, 2].map((i) => handle.servers[i]!.restart({ empty: true })));
    await waitUntilReady(quorum.clients);
    const intruder = await second.tryAcquire(name);
    expect(intruder).not.toBeNull();
    // The first owner finds out at its next extension, not before.
    expect(held.isHeld).toBe(true);
    const lost = await held.extend().catch((e: unknown) => e);
    expect(LockLostError.isInstance(lost), String(lost)).toBe(true);
    expect(held.signal.aborted).toBe(true);
    await intruder?.release();
  });

  it('extension keeps working with a node lost; with the quorum lost the signal aborts', async () => {
    const events: LockEvent[] = [];
    const redlock = locks({ onEvent: (e) => events.push(e) });
    const name = uniqueName('extend');
    const count = (type: LockEvent['type']) => events.filter((e) => e.type === type).length;
    let lost: unknown;
    const done = redlock.withLock(
      name,
      async (lock) => {
        await eventually(() => count('extended') >= 2, 'two extensions');
        // One node lost (stopped), then a second one: a quorum of 3 remains.
        await handle.servers[4]!.pause();
        const before = count('extended');
        await eventually(
          () => count('extended') >= before + 3,
          'three extensions with a node stopped',
          10_000,
        );
        await handle.servers[3]!.kill();
        const after = count('extended');
        await eventually(
          () => count('extended') >= after + 3,
          'three extensions with two nodes down',
          10_000,
        );
        expect(lock.isHeld).toBe(true);
        expect(lock.signal.aborted).toBe(false);
        // A third node down: the quorum is lost, extensions fail, validity runs out.
        await handle.servers[2]!.pause();
        await eventually(() => lock.signal.aborted, 'the lock signal to abort', 10_000);
        lost = lock.signal.reason;
        expect(lock.isHeld).toBe(false);
      },
      { ttl: 600 },
    );
    const outcome = await done.catch((e: unknown) => e);
    expect(LockLostError.isInstance(lost), String(lost)).toBe(true);
    expect((lost as LockLostError).reason).toBe('connection');
    expect(QuorumError.isInstance((lost as LockLostError).cause)).toBe(true);
    expect(((lost as LockLostError).cause as QuorumError).operation).toBe('extend');
    expect(LockLostError.isInstance(outcome)).toBe(true);
    expect(count('lost')).toBe(1);
  });

  it('a waiter is woken by the release, even with 2 of 5 nodes stopped', async () => {
    const holder = locks();
    const events: LockEvent[] = [];
    // Polling would take a minute: only a wake-up can hand the lock over in time.
    const waiter = locks({
      retry: { minDelay: 60_000, maxDelay: 60_000 },
      onEvent: (e) => events.push(e),
    });
    const name = uniqueName('wake');
    await waiter.isLocked(name);
    await handle.servers[0]!.pause();
    await handle.servers[2]!.pause();
    const held = await holder.acquire(name, { ttl: 60_000 });
    const pending = waiter.acquire(name, { wait: 20_000 });
    await eventually(() => events.some((e) => e.type === 'contended'), 'the waiter to be refused');
    // Subscribed on the three live nodes.
    await eventually(async () => {
      const counts = await Promise.all(
        [1, 3, 4].map(
          (i) =>
            handle.servers[i]!.command(
              'PUBSUB',
              'SHARDNUMSUB',
              `${keyOf(name)}:released`,
            ) as Promise<[string, number]>,
        ),
      );
      return counts.every(([, n]) => Number(n) > 0);
    }, 'subscriptions on the live nodes');
    await held.release();
    const released = performance.now();
    const lock = await pending;
    expect(performance.now() - released).toBeLessThan(5_000);
    const acquired = events.find((e) => e.type === 'acquired');
    expect(acquired?.attempts).toBeLessThanOrEqual(3);
    await lock.release();
  });

  it('nodes may mix clients; without enough subscribers, waiting polls', async () => {
    // Nodes 0-2 through a hand-written client with no subscribe: 2 of 5 can send wake-ups,
    // fewer than the 3 needed, so redlock leaves waiting to polling.
    let calls = 0;
    const plain = quorum.nodes.map((node, i) =>
      i < 3
        ? {
            eval: (...args: Parameters<typeof node.eval>) => {
              if (i === 0) calls++;
              return node.eval(...args);
            },
            evalsha: (...args: Parameters<typeof node.evalsha>) => {
              if (i === 0) calls++;
              return node.evalsha(...args);
            },
          }
        : node,
    );
    const events: LockEvent[] = [];
    const polling = createRedlock(plain, {
      retry: { minDelay: 5, maxDelay: 20 },
      onEvent: (e) => events.push(e),
    });
    opened.push(polling);
    const holder = locks();
    const name = uniqueName('mixed');
    const held = await holder.acquire(name, { ttl: 30_000 });
    const pending = polling.acquire(name, { wait: 10_000 });
    await eventually(() => count(events, 'contended') > 0, 'the waiter to be refused');
    const before = calls;
    await eventually(() => calls >= before + 3, 'a few polls');
    // Polling, not subscribed anywhere.
    for (const server of handle.servers) {
      const [, subscribers] = (await server.command(
        'PUBSUB',
        'SHARDNUMSUB',
        `${keyOf(name)}:released`,
      )) as [string, number];
      expect(Number(subscribers)).toBe(0);
    }
    await held.release();
    const lock = await pending;
    expect(lock.isHeld).toBe(true);
    expect(await polling.inspect(name)).toMatchObject({ fence: lock.fence });
    expect(await polling.isLocked(name)).toBe(true);
    expect(await lock.release()).toBe(true);
    expect(await polling.isLocked(name)).toBe(false);
  });
});
