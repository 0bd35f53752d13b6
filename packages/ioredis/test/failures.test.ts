import {
  createLocks,
  type Locks,
  type RedisLikeClient,
  queuedReleaseScript as releaseScript,
} from '@deadbolt/core';
import { useRedisServer } from '@deadbolt/testkit/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { fromIoredis } from '../src/index.js';

describe('failures around a real server', () => {
  const redis = useRedisServer();
  const open: { locks: Locks; client: Redis }[] = [];

  function locksWith(wrap: (client: RedisLikeClient) => RedisLikeClient) {
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port });
    const locks = createLocks(wrap(fromIoredis(client)));
    open.push({ locks, client });
    return locks;
  }

  afterEach(async () => {
    for (const { locks, client } of open.splice(0)) {
      await locks.close();
      client.disconnect();
    }
  });

  /** Fails the release script (by its EVALSHA / EVAL source) once `broken.on` is set. */
  function breakingRelease(broken: { on: boolean }) {
    return (client: RedisLikeClient): RedisLikeClient => ({
      eval: (script, keys, args) =>
        broken.on && script === releaseScript.source
          ? Promise.reject(new Error('ECONNRESET while releasing'))
          : client.eval(script, keys, args),
      evalsha: (sha, keys, args) =>
        broken.on && sha === releaseScript.sha1
          ? Promise.reject(new Error('ECONNRESET while releasing'))
          : client.evalsha(sha, keys, args),
      subscribe: (channel, onMessage) => client.subscribe!(channel, onMessage),
    });
  }

  it("withLock: fn's error wins over a release error", async () => {
    const broken = { on: false };
    const locks = locksWith(breakingRelease(broken));
    const failure = new Error('fn failed');
    await expect(
      locks.withLock('masked', async () => {
        broken.on = true;
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('withLock: a release error after a successful fn does not turn success into failure', async () => {
    const broken = { on: false };
    const events: string[] = [];
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port });
    const locks = createLocks(breakingRelease(broken)(fromIoredis(client)), {
      onEvent: (e) => events.push(e.type),
    });
    open.push({ locks, client });
    const result = await locks.withLock('paid', async () => {
      broken.on = true;
      return 'charged';
    });
    expect(result).toBe('charged');
    expect(events).toContain('error');
  });

  it('release() rejects with a REDIS_ERROR carrying the driver error', async () => {
    const broken = { on: false };
    const locks = locksWith(breakingRelease(broken));
    const lock = await locks.acquire('release-fails', { ttl: 2_000 });
    broken.on = true;
    const error = await lock.release().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REDIS_ERROR' });
    expect((error as Error).cause).toMatchObject({ message: 'ECONNRESET while releasing' });
  });

  it('an outage is reported at once as REDIS_ERROR, not waited out', async () => {
    const locks = locksWith((client) => ({
      eval: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1')),
      evalsha: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1')),
      subscribe: (channel, onMessage) => client.subscribe!(channel, onMessage),
    }));
    const started = performance.now();
    const error = await locks.acquire('down', { wait: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REDIS_ERROR' });
    expect((error as Error).cause).toMatchObject({ message: 'ECONNREFUSED 127.0.0.1' });
    // Far below the 10 s wait: the outage was not retried as if it were contention.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('auto-extension that keeps failing reports the lock lost for "connection"', async () => {
    const broken = { on: false };
    const locks = locksWith((client) => ({
      eval: (s, k, a) =>
        broken.on ? Promise.reject(new Error('ETIMEDOUT')) : client.eval(s, k, a),
      evalsha: (s, k, a) =>
        broken.on ? Promise.reject(new Error('ETIMEDOUT')) : client.evalsha(s, k, a),
    }));
    const lock = await locks.acquire('flaky', { ttl: 300, autoExtend: true });
    broken.on = true;
    await new Promise<void>((resolve) => lock.signal.addEventListener('abort', () => resolve()));
    expect(lock.signal.reason).toMatchObject({ code: 'LOCK_LOST', reason: 'connection' });
    expect((lock.signal.reason as Error).cause).toMatchObject({ message: 'ETIMEDOUT' });
  });

  it('resends of an acquire with the same token count as success (idempotent acquire)', async () => {
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port });
    try {
      const { acquireScript } = await import('@deadbolt/core');
      const args = ['resent-token', '5000'];
      const keys = ['deadbolt:{resent}', 'deadbolt:{resent}:fence'];
      const first = await client.eval(acquireScript.source, 2, ...keys, ...args);
      const again = await client.eval(acquireScript.source, 2, ...keys, ...args);
      expect(first).toEqual([1, 1]);
      expect(again).toEqual([1, 1]);
      const other = await client.eval(acquireScript.source, 2, ...keys, 'other', '5000');
      expect((other as number[])[0]).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  it('polls with backoff when the client cannot subscribe, capped by the holder ttl', async () => {
    const holder = locksWith((c) => c);
    const poller = locksWith((client) => ({
      eval: client.eval.bind(client),
      evalsha: client.evalsha.bind(client),
    }));
    const held = await holder.acquire('polled', { ttl: 400 });
    const lock = await poller.acquire('polled', { wait: 5_000 });
    expect(held.isHeld).toBe(false);
    await lock.release();
  });

  it("a process with held, auto-extended locks can still exit (timers are unref'd)", async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const script = fileURLToPath(new URL('./fixtures/hold-and-exit.ts', import.meta.url));
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', script, String(redis.server.port)],
      {
        timeout: 20_000,
        encoding: 'utf8',
      },
    );
    expect(result.stdout).toContain('holding');
    expect(result.status).toBe(0);
  });
});
