import { afterEach, describe, expect, it } from 'vitest';
import { findRedisServerBinary, REGISTRY_ENV, startRedisServer } from '../src/index.js';
import setup from '../src/vitest/global-setup.js';

const original = process.env.REDIS_SERVER_BIN;

afterEach(() => {
  if (original === undefined) delete process.env.REDIS_SERVER_BIN;
  else process.env.REDIS_SERVER_BIN = original;
});

describe('findRedisServerBinary', () => {
  it('finds redis-server', () => {
    expect(findRedisServerBinary()).toMatch(/redis-server$/);
  });

  it('honours REDIS_SERVER_BIN', () => {
    const found = findRedisServerBinary();
    process.env.REDIS_SERVER_BIN = found;
    expect(findRedisServerBinary()).toBe(found);
  });

  it('fails at once, with the install command, when the binary is missing', async () => {
    process.env.REDIS_SERVER_BIN = '/nonexistent';
    expect(() => findRedisServerBinary()).toThrow(/apt-get install redis-server/);
    expect(() => findRedisServerBinary()).toThrow(/brew install redis/);

    const started = Date.now();
    await expect(startRedisServer()).rejects.toThrow(/apt-get install redis-server/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('makes the vitest global setup fail before it changes anything', () => {
    const registry = process.env[REGISTRY_ENV];
    process.env.REDIS_SERVER_BIN = '/nonexistent';
    expect(() => setup()).toThrow(/apt-get install redis-server/);
    expect(process.env[REGISTRY_ENV]).toBe(registry);
  });
});
