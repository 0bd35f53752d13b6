import type { RedisLikeClient } from '@deadbolt/core';
import { useRedisServers } from '@deadbolt/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedlock, type RedlockOptions } from '../src/index.js';
import { connectQuorum } from './quorum-nodes.js';

describe('createRedlock rejects bad input before anything reaches Redis', () => {
  const handle = useRedisServers(3);
  let quorum: ReturnType<typeof connectQuorum>;

  beforeAll(() => {
    quorum = connectQuorum(handle.servers);
  });

  afterAll(() => {
    quorum?.close();
  });

  /** Commands served by every node so far (INFO commandstats), minus the INFO calls. */
  async function served(): Promise<number> {
    let total = 0;
    for (const server of handle.servers) {
      const info = String(await server.command('INFO', 'commandstats'));
      for (const match of info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) {
        if (match[1] !== 'info') total += Number(match[2]);
      }
    }
    return total;
  }

  async function dbsize(): Promise<number[]> {
    return Promise.all(handle.servers.map((s) => s.command('DBSIZE') as Promise<number>));
  }

  it('throws TypeError or RangeError naming the argument, and sends nothing', async () => {
    const [a, b, c] = quorum.nodes as [RedisLikeClient, RedisLikeClient, RedisLikeClient];
    // Open the connections first, so that their handshake does not count.
    await Promise.all(quorum.clients.map((client) => client.ping()));
    const keys = await dbsize();
    const before = await served();
    const cases: [unknown, unknown, ErrorConstructor, RegExp][] = [
      [undefined, undefined, TypeError, /^clients must be an array/],
      [a, undefined, TypeError, /^clients must be an array/],
      [new Set([a, b, c]), undefined, TypeError, /^clients must be an array/],
      [[], undefined, RangeError, /^clients must contain at least one/],
      [[a, null, c], undefined, TypeError, /^clients\[1\] must implement RedisLikeClient/],
      [[a, b, 'redis://x'], undefined, TypeError, /^clients\[2\] must implement RedisLikeClient/],
      [[a, { eval: a.eval }, c], undefined, TypeError, /^clients\[1\] must implement/],
      [
        [a, b, { ...c, subscribe: 1 }],
        undefined,
        TypeError,
        /^clients\[2\]\.subscribe must be a function/,
      ],
      [[a, b, a], undefined, RangeError, /^clients\[2\] is the same client as clients\[0\]/],
      [[a, b, c], { quorum: 1 }, RangeError, /^options\.quorum .* from 2 to 3.*not a majority/],
      [[a, b, c], { quorum: 4 }, RangeError, /^options\.quorum must be an integer from 2 to 3/],
      [[a, b, c], { quorum: 2.5 }, RangeError, /^options\.quorum/],
      [[a, b, c], { quorum: Number.NaN }, RangeError, /^options\.quorum/],
      [[a, b, c], { quorum: '2' }, TypeError, /^options\.quorum must be a number/],
      [[a, b], { quorum: 1 }, RangeError, /^options\.quorum must be an integer from 2 to 2/],
      [[a, b, c], { nodeTimeout: 0 }, RangeError, /^options\.nodeTimeout/],
      [[a, b, c], { nodeTimeout: -50 }, RangeError, /^options\.nodeTimeout/],
      [[a, b, c], { nodeTimeout: 12.5 }, RangeError, /^options\.nodeTimeout/],
      [[a, b, c], { nodeTimeout: 2 ** 40 }, RangeError, /^options\.nodeTimeout/],
      [[a, b, c], { nodeTimeout: '50' }, TypeError, /^options\.nodeTimeout must be a number/],
      [[a, b, c], { ttl: 0 }, RangeError, /^options\.ttl/],
      [[a, b, c], { wait: -1 }, RangeError, /^options\.wait/],
      [[a, b, c], { driftFactor: 0.7 }, RangeError, /^options\.driftFactor/],
      [[a, b, c], { retry: { minDelay: 0 } }, RangeError, /^options\.retry\.minDelay/],
      [[a, b, c], { quorom: 2 }, TypeError, /unknown option "quorom"/],
      [[a, b, c], { fair: true }, RangeError, /^options\.fair cannot be true over redlock/],
      [[a, b, c], { fair: 'yes' }, TypeError, /^options\.fair/],
      [[a, b, c], 'fast', TypeError, /^options must be an object/],
    ];
    for (const [clients, options, type, message] of cases) {
      let error: unknown;
      try {
        createRedlock(clients as RedisLikeClient[], options as RedlockOptions);
      } catch (caught) {
        error = caught;
      }
      const label = `${String(message)}`;
      expect(error, label).toBeInstanceOf(type);
      expect((error as Error).message, label).toMatch(message);
    }
    expect(await served()).toBe(before);
    expect(await dbsize()).toEqual(keys);
  });

  it('rejects semaphores, read-write locks and fair mode clearly, sending nothing', async () => {
    const locks = createRedlock(quorum.nodes);
    const keys = await dbsize();
    const before = await served();
    expect(() => locks.semaphore('pool', { limit: 2 })).toThrow(/not available over redlock/);
    expect(() => locks.readWrite('doc')).toThrow(/not available over redlock/);
    await expect(locks.acquire('x', { fair: true })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    expect(await served()).toBe(before);
    expect(await dbsize()).toEqual(keys);
    await locks.close();
  });

  it('accepts the edge values', async () => {
    const [a, b, c] = quorum.nodes as [RedisLikeClient, RedisLikeClient, RedisLikeClient];
    for (const options of [{ quorum: 2 }, { quorum: 3 }, { nodeTimeout: 1 }, {}, undefined]) {
      await createRedlock([a, b, c], options).close();
    }
    const single = createRedlock([a]);
    const lock = await single.acquire('single-node-redlock');
    expect(await lock.release()).toBe(true);
    await single.close();
  });
});
