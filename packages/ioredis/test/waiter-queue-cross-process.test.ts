import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@deadbolt/testkit/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocks } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/queue-worker.ts', import.meta.url));
const children: ChildProcess[] = [];
const clients: Redis[] = [];

function worker(port: number, name: string, fair: boolean): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fixture, String(port), name, fair ? '1' : '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return child;
}

/** Queue entries scoring from here up are arrivals (µs); below are leases (ms). */
const ARRIVALS_FROM = '100000000000000';
const waitingIn = (admin: Redis, queue: string) => admin.zcount(queue, ARRIVALS_FROM, '+inf');

async function poll(check: () => Promise<boolean>, what: string, timeout = 15_000) {
  const deadline = performance.now() + timeout;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const client of clients.splice(0)) client.disconnect();
});

describe('the waiter queue across OS processes', () => {
  const redis = useRedisServer();
  const connect = () => {
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port });
    clients.push(client);
    return client;
  };

  it('fair mode grants the lock in queue order', async () => {
    const admin = connect();
    const locks = createLocks(connect());
    const name = 'fair-order';
    const queue = `deadbolt:{${name}}:queue`;
    const held = await locks.acquire(name, { ttl: 60_000 });
    const grants: number[] = [];
    const done: Promise<unknown>[] = [];
    for (let i = 0; i < 5; i++) {
      const child = worker(redis.server.port, name, true);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('granted')) grants.push(i);
      });
      done.push(once(child, 'exit'));
      // The next process starts only once this one has its place in the queue.
      await poll(
        async () => (await waitingIn(admin, queue)) === i + 1,
        `process ${i} in the queue`,
      );
    }
    const queueOrder = await admin.zrangebyscore(queue, ARRIVALS_FROM, '+inf');
    expect(queueOrder).toHaveLength(5);
    await held.release();
    await Promise.all(done);
    // Queue order is arrival order here; grants must follow it exactly.
    expect(grants).toEqual([0, 1, 2, 3, 4]);
    expect(await admin.exists(queue)).toBe(0);
    await locks.close();
  });

  it('a waiting process killed at the head of the queue holds the next one up only for its lease', async () => {
    const admin = connect();
    const locks = createLocks(connect());
    const name = 'dead-head';
    const queue = `deadbolt:{${name}}:queue`;
    const held = await locks.acquire(name, { ttl: 60_000 });
    const head = worker(redis.server.port, name, false);
    await poll(async () => (await waitingIn(admin, queue)) === 1, 'the head in the queue');
    const next = worker(redis.server.port, name, false);
    let grantedAt = 0;
    next.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('granted')) grantedAt = performance.now();
    });
    await poll(
      async () => (await waitingIn(admin, queue)) === 2,
      'the second process in the queue',
    );
    head.kill('SIGKILL');
    await once(head, 'exit');
    await held.release();
    const released = performance.now();
    await once(next, 'exit');
    // Default lease 2 s, renewed every lease/3; the holder's ttl (60 s) plays no part.
    expect(grantedAt - released).toBeLessThan(2_000 + 1_500);
    // The dead process's entry goes with the queue key when its lease ends.
    await poll(async () => (await admin.exists(queue)) === 0, 'the queue key to vanish', 5_000);
    await locks.close();
  });
});
