import type { LockEvent, RedisLikeClient } from '@deadbolt/core';
import { useRedisServer } from '@deadbolt/testkit/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createLocks, fromIoredis } from '../src/index.js';

const clients: Redis[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

describe('fromIoredis', () => {
  const redis = useRedisServer();
  const connect = (options: { keyPrefix?: string } = {}) => {
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port, ...options });
    clients.push(client);
    return client;
  };

  it('satisfies RedisLikeClient', () => {
    expectTypeOf(fromIoredis).returns.toEqualTypeOf<RedisLikeClient>();
    const adapted = fromIoredis(connect());
    expect(typeof adapted.eval).toBe('function');
    expect(typeof adapted.subscribe).toBe('function');
  });

  it('rejects what is not an ioredis client', () => {
    expect(() => fromIoredis({} as never)).toThrow(TypeError);
  });

  it('keeps NOSCRIPT in the rejection of an unknown SHA', async () => {
    const adapted = fromIoredis(connect());
    await expect(adapted.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/^NOSCRIPT/);
  });

  it('normalises replies to numbers, strings, null and arrays', async () => {
    const adapted = fromIoredis(connect());
    expect(await adapted.eval("return {1, 'a', {2}}", [], [])).toEqual([1, 'a', [2]]);
    expect(await adapted.eval('return nil', [], [])).toBeNull();
  });

  it('works under a keyPrefix: keys are prefixed, wake-ups still arrive', async () => {
    const { events, onEvent } = (() => {
      const list: LockEvent[] = [];
      return { events: list, onEvent: (e: LockEvent) => list.push(e) };
    })();
    const holder = createLocks(connect({ keyPrefix: 'app:' }));
    const waiter = createLocks(connect({ keyPrefix: 'app:' }), {
      onEvent,
      retry: { minDelay: 60_000, maxDelay: 60_000 },
    });
    const held = await holder.acquire('prefixed', { ttl: 60_000 });
    const raw = connect();
    expect(await raw.get('app:deadbolt:{prefixed}')).toBe(held.token);
    const pending = waiter.acquire('prefixed', { wait: 15_000 });
    await expect
      .poll(async () => {
        const channels = (await raw.call('PUBSUB', 'SHARDCHANNELS', '*')) as string[];
        return channels.filter((c) => c.startsWith('app:deadbolt:{prefixed}:wake:')).length;
      })
      .toBe(1);
    await held.release();
    const lock = await pending;
    expect(events.find((e) => e.type === 'acquired')?.attempts).toBeLessThanOrEqual(3);
    await lock.release();
    await holder.close();
    await waiter.close();
  });

  it('closes its subscriber connection when nothing waits any more', async () => {
    const raw = connect();
    const adapted = fromIoredis(connect());
    const unsubscribe = await adapted.subscribe!('deadbolt:{sub}:released', () => {});
    const pubsubClients = async () =>
      ((await raw.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string).split('\n').filter(Boolean)
        .length;
    expect(await pubsubClients()).toBe(1);
    await unsubscribe();
    await expect.poll(pubsubClients).toBe(0);
  });
  it('resubscribes itself after a reconnect: a refused SSUBSCRIBE is no unhandled rejection', async () => {
    // ioredis's own resubscription sends SSUBSCRIBE without a rejection handler.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const raw = connect();
    const refusals = async () => {
      const info = (await raw.call('INFO', 'errorstats')) as string;
      return Number(/errorstat_NOPERM:count=(\d+)/.exec(info)?.[1] ?? 0);
    };
    try {
      const holder = createLocks(connect());
      const waiter = createLocks(connect(), { retry: { minDelay: 60_000, maxDelay: 60_000 } });
      const held = await holder.acquire('resubscribe', { ttl: 60_000 });
      const pending = waiter.acquire('resubscribe', { wait: 30_000 });
      const wakeChannels = async () =>
        ((await raw.call('PUBSUB', 'SHARDCHANNELS', 'deadbolt:{resubscribe}:*')) as string[])
          .length;
      await expect.poll(wakeChannels).toBe(1);
      const refusedBefore = await refusals();
      await raw.call('ACL', 'SETUSER', 'default', '-ssubscribe');
      await raw.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await expect.poll(refusals, { timeout: 10_000 }).toBeGreaterThan(refusedBefore);
      // An unhandled rejection surfaces after the microtasks of the reply's tick.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await raw.call('ACL', 'SETUSER', 'default', '+ssubscribe');
      await held.release();
      // Nobody listened when the release woke the queue; the next reconnect makes the waiter
      // try again, and it gets the lock.
      await raw.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      const lock = await pending;
      await lock.release();
      await holder.close();
      await waiter.close();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await raw.call('ACL', 'SETUSER', 'default', '+@all');
    }
  });
});
