import { createHash } from 'node:crypto';
import {
  type AdminNode,
  eventually,
  handOff,
  pubsubConnections,
  shardSubscribers,
  unique,
} from '@deadbolt/testkit/probes';
import { useRedisServer } from '@deadbolt/testkit/vitest';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createLocks,
  DeadboltError,
  fromSolidis,
  type RedisLikeClient,
  type SolidisScriptClient,
} from '../src/index.js';
import {
  evalsha,
  evaluate,
  RespError,
  SolidisClient,
  SolidisFeaturedClient,
  ssubscribe,
  sunsubscribe,
} from './solidis-stand-in.js';

const redis = useRedisServer();
const opened: SolidisClient[] = [];
afterEach(() => {
  for (const client of opened.splice(0)) client.quit();
});

type Protocol = 'RESP2' | 'RESP3';
const protocols: Protocol[] = ['RESP2', 'RESP3'];

function featured(protocol: Protocol): SolidisFeaturedClient {
  const client = new SolidisFeaturedClient({ port: redis.server.port, protocol });
  opened.push(client);
  return client;
}

/** A base `SolidisClient` with only the commands deadbolt needs bound, as a user would. */
function extended(protocol: Protocol) {
  const client = new SolidisClient({ port: redis.server.port, protocol });
  opened.push(client);
  return client.extend({ eval: evaluate, evalsha, ssubscribe, sunsubscribe });
}

const admin = (): AdminNode[] => [redis.server];

/** Every argument any of these clients was asked to send. */
const sentArguments = (...clients: SolidisClient[]) => clients.flatMap((c) => c.sent.flat());

describe('the solidis stand-in (a test double, not solidis) keeps solidis conventions', () => {
  describe.each(protocols)('%s', (protocol) => {
    it('resolves error replies as Error values and bulk strings as Buffers', async () => {
      const client = featured(protocol);
      const noscript = await client.evalsha('0'.repeat(40), [], []);
      expect(noscript).toBeInstanceOf(RespError);
      expect((noscript as Error).message).toMatch(/^NOSCRIPT /);
      expect(await client.eval("return {1, 'a', false}", [], [])).toEqual([
        1,
        Buffer.from('a'),
        null,
      ]);
      const map = await client.eval('redis.setresp(3); return {map={a=1}}', [], []);
      const bigScript = "redis.setresp(3); return {big_number='12345678901234567890'}";
      const big = await client.eval(bigScript, [], []);
      if (protocol === 'RESP3') {
        expect(map).toEqual(new Map([['a', 1]]));
        expect(big).toBe(12345678901234567890n);
      } else {
        expect(map).toEqual([Buffer.from('a'), 1]);
        expect(big).toEqual(Buffer.from('12345678901234567890'));
      }
    });

    it('rejects a number argument with a TypeError and fails every command in flight', async () => {
      const client = featured(protocol);
      const key = unique('list');
      const blocked = client.send([['BLPOP', key, '5']]);
      await eventually(
        async () => String(await redis.server.command('CLIENT', 'LIST')).includes('cmd=blpop'),
        'the BLPOP to reach the server',
      );
      const poisoned = client.send([['GET', 1 as unknown as string]]);
      await expect(poisoned).rejects.toBeInstanceOf(TypeError);
      await expect(blocked).rejects.toBeInstanceOf(TypeError);
      await eventually(
        async () => (await client.send([['PING']]).catch(() => null)) !== null,
        'reconnect',
      );
    });

    it('delivers smessage as (channel: string, message: Buffer) and quits synchronously', async () => {
      const client = featured(protocol);
      const channel = unique('chan');
      const received: unknown[][] = [];
      client.on('smessage', (...args: unknown[]) => received.push(args));
      expect(await client.ssubscribe(channel)).toBeUndefined();
      await redis.server.command('SPUBLISH', channel, 'hello');
      await eventually(() => received.length === 1, 'the message');
      expect(received[0]).toEqual([channel, Buffer.from('hello')]);
      expect(client.quit()).toBeUndefined();
      await expect(client.send([['PING']])).rejects.toThrow('Not connected with redis server.');
    });
  });
});

describe.each(protocols)('fromSolidis · %s', (protocol) => {
  it('satisfies RedisLikeClient', () => {
    expectTypeOf(fromSolidis(featured(protocol))).toMatchTypeOf<RedisLikeClient>();
    expectTypeOf(extended(protocol)).toMatchTypeOf<SolidisScriptClient>();
  });

  it.each([
    ['SolidisFeaturedClient', featured],
    ['SolidisClient + extend', extended],
  ] as const)('normalises replies of a %s', async (_label, make) => {
    const client = fromSolidis(make(protocol));
    const script = "return {1, 'a', false, {2, ARGV[1]}, KEYS[1]}";
    expect(await client.eval(script, ['k'], ['b'])).toEqual([1, 'a', null, [2, 'b'], 'k']);
    expect(await client.eval("return redis.status_reply('OK')", [], [])).toBe('OK');
    // An integer beyond 2^53 reaches solidis as a bigint: it comes out as exact text.
    expect(await client.eval('return 9007199254740993', [], [])).toBe('9007199254740992');
    // Under RESP3 solidis hands over a Map and a bigint; both come out in RESP2 shapes.
    const map = 'redis.setresp(3); return {map={a=1}}';
    expect(await client.eval(map, [], [])).toEqual(['a', 1]);
    const big = "redis.setresp(3); return {big_number='123456789012345678901234567890'}";
    expect(await client.eval(big, [], [])).toBe('123456789012345678901234567890');
  });

  it('runs cached scripts, and an unknown SHA rejects with NOSCRIPT', async () => {
    const client = fromSolidis(featured(protocol));
    const script = `return ARGV[1] -- ${unique('fresh')}`;
    const sha = createHash('sha1').update(script).digest('hex');
    await expect(client.evalsha(sha, [], ['x'])).rejects.toThrow(/^NOSCRIPT /);
    expect(await client.eval(script, [], ['x'])).toBe('x');
    expect(await client.evalsha(sha, [], ['y'])).toBe('y');
  });

  it('turns error replies into rejections carrying the Redis text', async () => {
    const client = fromSolidis(featured(protocol));
    await expect(client.eval("return redis.error_reply('MYERR custom')", [], [])).rejects.toThrow(
      'MYERR custom',
    );
    const key = unique('hash');
    await redis.server.command('HSET', key, 'f', 'v');
    await expect(client.eval("return redis.call('GET', KEYS[1])", [key], [])).rejects.toThrow(
      /WRONGTYPE/,
    );
  });

  it('never passes a number to solidis, even when a caller slips one in', async () => {
    const solidis = featured(protocol);
    const client = fromSolidis(solidis);
    const args = ['1', 2] as unknown as string[];
    expect(await client.eval('return ARGV[2]', [], args)).toBe('2');
    expect(sentArguments(solidis).every((a) => typeof a === 'string')).toBe(true);
  });

  it('rejects clients that cannot run scripts, and a subscriber that is not a function', () => {
    const bare = new SolidisClient({ port: redis.server.port, protocol });
    opened.push(bare);
    expect(() => fromSolidis(bare as unknown as SolidisScriptClient)).toThrow(/extend/);
    const subscriber = 'nope' as unknown as () => SolidisFeaturedClient;
    expect(() => fromSolidis(featured(protocol), { subscriber })).toThrow(/options\.subscriber/);
  });

  it('multiplexes channels on one subscriber client, quit once none is left', async () => {
    const made: SolidisFeaturedClient[] = [];
    const client = fromSolidis(featured(protocol), {
      subscriber: () => made[made.push(featured(protocol)) - 1]!,
    });
    const [a, b] = [unique('a'), unique('b')];
    const got: string[] = [];
    const offA = await client.subscribe!(a, (m) => got.push(`a:${m}`));
    expect(await shardSubscribers(admin(), a)).toBe(1); // Confirmed by Redis once subscribe resolved.
    const offB = await client.subscribe!(b, (m) => got.push(`b:${m}`));
    expect(made).toHaveLength(1);
    await redis.server.command('SPUBLISH', b, 'released');
    await eventually(() => got.includes('b:released'), 'the release message');
    await offA();
    expect(await shardSubscribers(admin(), a)).toBe(0);
    await offB();
    await expect(made[0]!.send([['PING']])).rejects.toThrow('Not connected with redis server.');
    await eventually(
      async () => (await pubsubConnections(admin())) === 0,
      'the subscriber to disconnect',
    );
  });

  it('wakes every listener once after the subscriber reconnects, then still delivers', async () => {
    const client = fromSolidis(featured(protocol), { subscriber: () => featured(protocol) });
    const [a, b] = [unique('a'), unique('b')];
    const got: string[] = [];
    const offs = [
      await client.subscribe!(a, (m) => got.push(`a:${m}`)),
      await client.subscribe!(b, (m) => got.push(`b:${m}`)),
    ];
    await redis.server.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await eventually(
      () => got.includes('a:reconnected') && got.includes('b:reconnected'),
      'the reconnect wake-ups',
    );
    await eventually(async () => (await shardSubscribers(admin(), a)) === 1, 'the resubscription');
    await redis.server.command('SPUBLISH', a, 'released');
    await eventually(() => got.includes('a:released'), 'a message after the reconnect');
    expect(got.filter((m) => m.endsWith(':reconnected')).sort()).toEqual([
      'a:reconnected',
      'b:reconnected',
    ]);
    for (const off of offs) await off();
  });
});

describe.each(protocols)('createLocks on solidis · %s', (protocol) => {
  it('acquires, releases, wakes a waiter on release, and never sends a number', async () => {
    const clients: SolidisClient[] = [];
    const make = (kind: typeof featured) => {
      const client = kind(protocol);
      clients.push(client);
      return client;
    };
    const subscriber = () => make(featured);
    const holder = createLocks(make(featured), { subscriber });
    const waiter = createLocks(make(extended), { subscriber: () => make(extended) });
    const name = unique('{order}:42'); // Braces in the name are fine.
    const lock = await holder.acquire(name, { ttl: 5_000 });
    expect(await redis.server.command('GET', lock.key)).toBe(lock.token);
    expect(await holder.inspect(name)).toMatchObject({ name, key: lock.key });
    expect(await waiter.tryAcquire(name)).toBeNull();
    await lock.extend(10_000);
    expect(await lock.release()).toBe(true);
    await handOff(holder, waiter, name, admin());
    await Promise.all([holder.close(), waiter.close()]);
    await eventually(async () => (await pubsubConnections(admin())) === 0, 'subscribers closing');
    const sent = sentArguments(...clients);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((arg) => typeof arg === 'string')).toBe(true);
  });

  it('polls without a subscriber factory', async () => {
    const locks = createLocks(featured(protocol), { retry: { minDelay: 5, maxDelay: 20 } });
    const name = unique('poll');
    const holder = await locks.acquire(name, { ttl: 200 });
    const next = await locks.acquire(name, { ttl: 1_000, wait: 5_000 });
    expect(next.fence).toBeGreaterThan(holder.fence);
    await next.release();
    await locks.close();
  });

  it('reports a solidis error reply as a rejection with the Redis text', async () => {
    const locks = createLocks(featured(protocol));
    const name = unique('wrongtype');
    await redis.server.command('HSET', `deadbolt:{${name}}`, 'f', 'v');
    const error = await locks.acquire(name, { wait: 0 }).catch((e: unknown) => e);
    expect(DeadboltError.isInstance(error)).toBe(true);
    expect(String((error as Error).cause ?? error)).toMatch(/WRONGTYPE/);
    await locks.close();
  });

  it('validates its options like core does', () => {
    expect(() => createLocks(featured(protocol), { ttl: -1 })).toThrow(RangeError);
    expect(() => createLocks(featured(protocol), 5 as never)).toThrow(TypeError);
    const subscriber = 5 as unknown as () => SolidisFeaturedClient;
    expect(() => createLocks(featured(protocol), { subscriber })).toThrow(/options\.subscriber/);
  });
});
