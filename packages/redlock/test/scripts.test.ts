import { type Locks, releaseScript } from '@deadbolt/core';
import { useRedisServers } from '@deadbolt/testkit/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedlock } from '../src/index.js';
import { connectQuorum, restoreNodes, waitUntilReady } from './quorum-nodes.js';

async function eventually(check: () => Promise<boolean>, what: string, timeout = 5_000) {
  const deadline = performance.now() + timeout;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `calls` of `cmdstat_<command>` in INFO commandstats. */
function callsOf(info: string, command: string): number {
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe('redlock scripts: EVALSHA, and NOSCRIPT without reordering · 3 nodes', () => {
  const handle = useRedisServers(3);
  let quorum: ReturnType<typeof connectQuorum>;
  const opened: Locks[] = [];
  let run = 0;
  const uniqueName = (hint: string) => `${hint}:${Date.now().toString(36)}:${++run}`;
  const keyOf = (name: string) => `deadbolt:{${name}}`;
  const server = (i: number) => handle.servers[i]!;

  function locks(): Locks {
    const made = createRedlock(quorum.nodes);
    opened.push(made);
    return made;
  }

  /** Lets every command sent to node `i` so far, and whatever its replies set off, run. */
  async function drain(i: number): Promise<void> {
    await quorum.clients[i]!.ping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await quorum.clients[i]!.ping();
  }

  /** One acquire, extend and release: afterwards every script is cached on every node. */
  async function warmUp(redlock: Locks, name: string): Promise<void> {
    const lock = await redlock.acquire(name);
    await lock.extend();
    expect(await lock.release()).toBe(true);
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

  it('sends EVALSHA, not the script source, once the scripts are cached', async () => {
    const redlock = locks();
    const name = uniqueName('evalsha');
    await warmUp(redlock, name);
    const before = (await server(0).command('INFO', 'commandstats')) as string;
    for (let i = 0; i < 10; i++) {
      const lock = await redlock.acquire(name);
      await lock.extend();
      await lock.release();
    }
    await drain(0);
    const after = (await server(0).command('INFO', 'commandstats')) as string;
    expect(callsOf(after, 'eval') - callsOf(before, 'eval')).toBe(0);
    // Ten acquires, extends and releases (the node may not have been needed for all).
    expect(callsOf(after, 'evalsha') - callsOf(before, 'evalsha')).toBeGreaterThanOrEqual(30);
  });

  it('after SCRIPT FLUSH on a node that the quorum needs, acquire, extend and release still work', async () => {
    const redlock = locks();
    const name = uniqueName('flush');
    const key = keyOf(name);
    await warmUp(redlock, name);
    // Node 2 stopped: every call needs node 0, whose cache is flushed before each one.
    await server(2).pause();
    await server(0).command('SCRIPT', 'FLUSH');
    const lock = await redlock.acquire(name, { ttl: 10_000 });
    expect(await server(0).command('GET', key)).toBe(lock.token);
    await server(0).command('SCRIPT', 'FLUSH');
    await lock.extend(60_000);
    expect(Number(await server(0).command('PTTL', key))).toBeGreaterThan(10_000);
    await server(0).command('SCRIPT', 'FLUSH');
    expect(await lock.release()).toBe(true);
    expect(await server(0).command('GET', key)).toBeNull();
    // One more round of each call caches the scripts again; from then on, EVALSHA only.
    await warmUp(redlock, name);
    const before = (await server(0).command('INFO', 'commandstats')) as string;
    await warmUp(redlock, name);
    const after = (await server(0).command('INFO', 'commandstats')) as string;
    expect(callsOf(after, 'eval') - callsOf(before, 'eval')).toBe(0);
  });

  it('an acquire refused with NOSCRIPT after its own give-back is not sent again: no grant stays', async () => {
    const redlock = locks();
    const name = uniqueName('overtaken');
    const key = keyOf(name);
    await warmUp(redlock, name);
    // Node 0 loses its scripts; another client loads only the release script there.
    await server(0).command('SCRIPT', 'FLUSH');
    await server(0).command('SCRIPT', 'LOAD', releaseScript.source);
    // Another owner holds nodes 1 and 2, and node 0 is stopped: the round is decided without
    // node 0, and the give-back goes to node 0 right behind the acquire.
    await Promise.all(
      [1, 2].map((i) => server(i).command('SET', key, 'another-owner', 'PX', 60_000)),
    );
    await server(0).pause();
    expect(await redlock.tryAcquire(name)).toBeNull();
    // Node 0 now runs the acquire (NOSCRIPT: nothing happens) and the release (cached: finds
    // nothing). Were the acquire sent again as EVAL, it would grant a lock nobody releases.
    await server(0).resume();
    await drain(0);
    expect(await server(0).command('GET', key)).toBeNull();
    // Once the other owner is gone, the lock works on all three nodes.
    await Promise.all([1, 2].map((i) => server(i).command('DEL', key)));
    const lock = await redlock.acquire(name);
    await eventually(
      async () => (await server(0).command('GET', key)) === lock.token,
      'node 0 to grant again',
    );
    expect(await lock.release()).toBe(true);
  });

  it('a give-back refused with NOSCRIPT is sent again, so a grant that did happen is undone', async () => {
    const redlock = locks();
    const name = uniqueName('give-back');
    const key = keyOf(name);
    await warmUp(redlock, name);
    // A release after a flush leaves node 0 known to have the release script only: the next
    // acquire goes there as EVAL, its give-back as EVALSHA.
    const lock = await redlock.acquire(name);
    await server(0).command('SCRIPT', 'FLUSH');
    expect(await lock.release()).toBe(true);
    await server(0).command('SCRIPT', 'FLUSH');
    await Promise.all(
      [1, 2].map((i) => server(i).command('SET', key, 'another-owner', 'PX', 60_000)),
    );
    await server(0).pause();
    expect(await redlock.tryAcquire(name)).toBeNull();
    // Node 0 grants (EVAL), then refuses the give-back (NOSCRIPT), which is sent again.
    await server(0).resume();
    await eventually(
      async () => (await server(0).command('GET', key)) === null,
      'the grant on node 0 to be given back',
    );
  });

  it('a node restarted empty takes part again from the first call', async () => {
    const redlock = locks();
    const name = uniqueName('restart');
    const key = keyOf(name);
    await warmUp(redlock, name);
    await server(0).kill();
    await server(0).restart({ empty: true });
    await waitUntilReady(quorum.clients);
    // Node 1 stopped: node 0, which lost every script, is needed for each call.
    await server(1).pause();
    const lock = await redlock.acquire(name, { ttl: 10_000 });
    expect(await server(0).command('GET', key)).toBe(lock.token);
    await lock.extend(60_000);
    expect(Number(await server(0).command('PTTL', key))).toBeGreaterThan(10_000);
    expect(await lock.release()).toBe(true);
    expect(await server(0).command('GET', key)).toBeNull();
  });
});
