import { describe, expect, it } from 'vitest';
import { createLocks, type RedisLikeClient } from '../src/index.js';

/** Counts every call that would reach Redis. */
function countingClient() {
  const calls: string[] = [];
  const client: RedisLikeClient = {
    async eval() {
      calls.push('eval');
      return null;
    },
    async evalsha() {
      calls.push('evalsha');
      return null;
    },
  };
  return { client, calls };
}

describe('createLocks argument checks', () => {
  it.each([
    [undefined, TypeError, /client/],
    [null, TypeError, /client/],
    [{}, TypeError, /client/],
    [{ eval: () => {}, evalsha: 1 }, TypeError, /client/],
    [{ eval: () => {}, evalsha: () => {}, subscribe: 'x' }, TypeError, /subscribe/],
  ])('rejects the client %o', (client, type, message) => {
    expect(() => createLocks(client as never)).toThrow(type);
    expect(() => createLocks(client as never)).toThrow(message);
  });

  it.each([
    [{ ttl: 5 }, RangeError, /ttl/],
    [{ ttl: null }, TypeError, /ttl/],
    [{ prefix: null }, TypeError, /prefix/],
    [{ retry: { minDelay: null } }, TypeError, /minDelay/],
    [{ ttl: '1s' }, TypeError, /ttl/],
    [{ wait: -1 }, RangeError, /wait/],
    [{ prefix: 3 }, TypeError, /prefix/],
    [{ driftFactor: 0.5 }, RangeError, /driftFactor/],
    [{ driftFactor: -0.1 }, RangeError, /driftFactor/],
    [{ driftFactor: '0.01' }, TypeError, /driftFactor/],
    [{ retry: { minDelay: 0 } }, RangeError, /minDelay/],
    [{ retry: { minDelay: 100, maxDelay: 10 } }, RangeError, /maxDelay/],
    [{ retry: { jitter: true } }, TypeError, /jitter/],
    [{ retry: 5 }, TypeError, /retry/],
    [{ onEvent: 'log' }, TypeError, /onEvent/],
    [{ quorum: 2 }, TypeError, /quorum/],
    ['fast', TypeError, /options/],
  ])('rejects the options %o, naming the option', (options, type, message) => {
    const { client, calls } = countingClient();
    expect(() => createLocks(client, options as never)).toThrow(type);
    expect(() => createLocks(client, options as never)).toThrow(message);
    expect(calls).toEqual([]);
  });

  it('accepts every documented option', () => {
    const { client } = countingClient();
    const locks = createLocks(client, {
      prefix: 'app:',
      ttl: 10,
      wait: 0,
      retry: { minDelay: 1, maxDelay: 1 },
      driftFactor: 0,
      onEvent: () => {},
    });
    expect(typeof locks.acquire).toBe('function');
  });
});
