import { afterAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../src/index.js';
import { isProcessGone } from '../src/process-probe.js';
import { useRedisServer, useRedisServers } from '../src/vitest/index.js';

function errorOf(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
}

const seen: RedisServer[] = [];
const seenPids: number[] = [];

describe('useRedisServer', () => {
  const redis = useRedisServer();
  const early = errorOf(() => redis.server);

  it('throws a clear error when read before beforeAll', () => {
    expect(early).toBeInstanceOf(Error);
    expect((early as Error).message).toMatch(/useRedisServer\(\)\.server is not running/);
  });

  it('gives a running server inside tests', async () => {
    expect(await redis.server.command('PING')).toBe('PONG');
    seen.push(redis.server);
    seenPids.push(redis.server.pid!);
  });

  it('tolerates a test that leaves the server paused', async () => {
    await redis.server.pause();
  });
});

describe('useRedisServers', () => {
  const redis = useRedisServers(2);

  it('gives independent servers', async () => {
    const { servers } = redis;
    expect(servers).toHaveLength(2);
    expect(servers[0]!.port).not.toBe(servers[1]!.port);
    seen.push(...servers);
    seenPids.push(...servers.map((s) => s.pid!));
  });

  it('tolerates a test that already stopped one', async () => {
    await redis.servers[0]!.stop();
  });
});

describe('after the topologies', () => {
  it('afterAll stopped every server', () => {
    expect(seen.map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(seenPids.filter((pid) => !isProcessGone(pid))).toEqual([]);
  });
});

afterAll(() => {
  expect(seen).toHaveLength(3);
});
