import { createHash } from 'node:crypto';
import {
  type AdminNode,
  eventually,
  handOff,
  pubsubConnections,
  shardSubscribers,
  unique,
} from '@deadbolt/testkit/probes';
import { useRedisCluster, useRedisServer } from '@deadbolt/testkit/vitest';
import { createClient as createClient6, createCluster as createCluster6, RESP_TYPES } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createLocks,
  fromNodeRedis,
  type Locks,
  type NodeRedisClient,
  type NodeRedisCluster,
  type RedisLikeClient,
} from '../src/index.js';

/** What the tests use of a client or cluster, on top of what the adapter uses. */
interface Extras {
  destroy(): void;
  listenerCount(event: string): number;
}
type TestClient = NodeRedisClient & Extras & { withTypeMapping(mapping: object): NodeRedisClient };
type TestCluster = NodeRedisCluster & Extras;
type Node = { host: string; port: number };
type Options = { keyPrefix?: string };

interface Variant {
  label: string;
  /** node-redis 6 has `keyPrefix`; 5 has not. */
  keyPrefix: boolean;
  /** Connected, and WITHOUT an 'error' listener, as a careless user would make it. */
  client(port: number, options?: Options): Promise<TestClient>;
  cluster(rootNodes: Node[], options?: Options): Promise<TestCluster>;
}

const roots = (nodes: Node[]) => nodes.map((socket) => ({ socket }));
const variants: Variant[] = [3, 2].flatMap((RESP) => [
  {
    label: `node-redis 6 · RESP${RESP}${RESP === 3 ? ' (default)' : ''}`,
    keyPrefix: true,
    client: async (port, options) =>
      (await createClient6({ socket: { port }, RESP: RESP as 3, ...options }).connect()) as never,
    cluster: async (nodes, options) =>
      (await createCluster6({
        rootNodes: roots(nodes),
        RESP: RESP as 3,
        ...options,
      }).connect()) as never,
  },
  {
    label: `node-redis 5 · RESP${RESP}${RESP === 2 ? ' (default)' : ''}`,
    keyPrefix: false,
    client: async (port) =>
      (await createClient5({ socket: { port }, RESP: RESP as 2 }).connect()) as never,
    cluster: async (nodes) =>
      (await createCluster5({ rootNodes: roots(nodes), RESP: RESP as 2 }).connect()) as never,
  },
]);

const openLocks: Locks[] = [];
const openClients: Extras[] = [];
afterEach(async () => {
  await Promise.all(openLocks.splice(0).map((locks) => locks.close()));
  for (const client of openClients.splice(0)) {
    try {
      client.destroy();
    } catch {
      // node-redis 5 throws when it is already closed.
    }
  }
});
const track = <T extends Extras>(client: T) => {
  openClients.push(client);
  return client;
};
const locksOn = (client: NodeRedisClient | NodeRedisCluster) => {
  const locks = createLocks(client);
  openLocks.push(locks);
  return locks;
};
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('single node', () => {
  const redis = useRedisServer();
  const admin = (): AdminNode[] => [redis.server];

  describe.each(variants)('$label', (variant) => {
    const connect = async (options?: Options) =>
      track(await variant.client(redis.server.port, options));

    it('satisfies RedisLikeClient', async () => {
      expectTypeOf(fromNodeRedis(await connect())).toExtend<RedisLikeClient>();
    });

    it('runs scripts and normalises replies, Buffers included', async () => {
      const client = await connect();
      const script = "return {1, 'a', false, {2, ARGV[1]}, KEYS[1], redis.call('PTTL', KEYS[1])}";
      const expected = [1, 'a', null, [2, 'b'], 'k', -2];
      expect(await fromNodeRedis(client).eval(script, ['k'], ['b'])).toEqual(expected);
      expect(await fromNodeRedis(client).eval("return redis.status_reply('OK')", [], [])).toBe(
        'OK',
      );
      const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      expect(await fromNodeRedis(buffers).eval(script, ['k'], ['b'])).toEqual(expected);
    });

    it('runs cached scripts; unknown SHA rejects with NOSCRIPT, error replies with their text', async () => {
      const client = fromNodeRedis(await connect());
      const script = `return ARGV[1] -- ${unique('fresh')}`;
      await expect(client.evalsha(sha1(script), [], ['x'])).rejects.toThrow(/^NOSCRIPT /);
      expect(await client.eval(script, [], ['x'])).toBe('x');
      expect(await client.evalsha(sha1(script), [], ['y'])).toBe('y');
      const failing = "return redis.error_reply('MYERR boom')";
      await expect(client.eval(failing, [], [])).rejects.toThrow('MYERR boom');
    });

    it('multiplexes channels on one duplicate connection, closed once none is left', async () => {
      const client = fromNodeRedis(await connect());
      const [a, b] = [unique('a'), unique('b')];
      const got: string[] = [];
      const offA = await client.subscribe!(a, (m) => got.push(`a:${m}`));
      expect(await shardSubscribers(admin(), a)).toBe(1); // Confirmed once subscribe resolved.
      const offB = await client.subscribe!(b, (m) => got.push(`b:${m}`));
      expect(await pubsubConnections(admin())).toBe(1);
      await redis.server.command('SPUBLISH', b, 'released');
      await eventually(() => got.includes('b:released'), 'the release message');
      await offA();
      expect(await shardSubscribers(admin(), a)).toBe(0);
      await offB();
      await eventually(
        async () => (await pubsubConnections(admin())) === 0,
        'the duplicate closing',
      );
      expect(got).toEqual(['b:released']);
    });

    it('survives a killed subscriber without an error listener on the user client; wakes every listener', async () => {
      const user = await connect();
      expect(user.listenerCount('error')).toBe(0);
      const client = fromNodeRedis(user);
      const [a, b] = [unique('a'), unique('b')];
      const got: string[] = [];
      const offA = await client.subscribe!(a, (m) => got.push(`a:${m}`));
      const offB = await client.subscribe!(b, (m) => got.push(`b:${m}`));
      await redis.server.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
      const woken = () => got.filter((m) => m.endsWith(':reconnected')).sort();
      await eventually(() => woken().length === 2, 'the reconnect wake-ups');
      expect(woken()).toEqual(['a:reconnected', 'b:reconnected']);
      await redis.server.command('SPUBLISH', a, 'released');
      await eventually(() => got.includes('a:released'), 'a message after the reconnect');
      expect(await client.eval('return 1', [], [])).toBe(1);
      await offA();
      await offB();
    });

    it('a resubscription refused after a reconnect is no unhandled rejection', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      const refusals = async () => {
        const info = String(await redis.server.command('INFO', 'errorstats'));
        return Number(/errorstat_NOPERM:count=(\d+)/.exec(info)?.[1] ?? 0);
      };
      try {
        const client = fromNodeRedis(await connect());
        const channel = unique('refused');
        const got: string[] = [];
        const off = await client.subscribe!(channel, (m) => got.push(m));
        const refusedBefore = await refusals();
        await redis.server.command('ACL', 'SETUSER', 'default', '-ssubscribe');
        await redis.server.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
        await eventually(async () => (await refusals()) > refusedBefore, 'the refused SSUBSCRIBE');
        // An unhandled rejection surfaces after the microtasks of the reply's tick.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await redis.server.command('ACL', 'SETUSER', 'default', '+ssubscribe');
        await off();
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await redis.server.command('ACL', 'SETUSER', 'default', '+@all');
      }
    });

    it('closes its duplicate when the user closes their client', async () => {
      const user = await connect();
      await fromNodeRedis(user).subscribe!(unique('c'), () => {});
      expect(await pubsubConnections(admin())).toBe(1);
      user.destroy();
      await eventually(
        async () => (await pubsubConnections(admin())) === 0,
        'the duplicate closing',
      );
    });

    it('locks end to end: acquire, release, and a release wakes the waiter', async () => {
      const [holder, waiter] = [locksOn(await connect()), locksOn(await connect())];
      const name = unique('payment');
      const lock = await holder.acquire(name, { ttl: 5_000 });
      expect(await redis.server.command('GET', lock.key)).toBe(lock.token);
      expect(await waiter.tryAcquire(name)).toBeNull();
      expect(await lock.release()).toBe(true);
      expect(await redis.server.command('EXISTS', lock.key)).toBe(0);
      await handOff(holder, waiter, name, admin());
      await Promise.all([holder.close(), waiter.close()]);
      await eventually(async () => (await pubsubConnections(admin())) === 0, 'subscribers closing');
    });

    it.runIf(variant.keyPrefix)(
      'applies keyPrefix to keys and release channels alike',
      async () => {
        const options = { keyPrefix: 'app:' };
        const [holder, waiter] = [locksOn(await connect(options)), locksOn(await connect(options))];
        const name = unique('prefixed');
        const lock = await holder.acquire(name, { ttl: 5_000 });
        expect(lock.key).toBe(`deadbolt:{${name}}`);
        expect(await redis.server.command('GET', `app:${lock.key}`)).toBe(lock.token);
        expect(await holder.inspect(name)).toMatchObject({ key: lock.key });
        await lock.release();
        await handOff(holder, waiter, name, admin(), 'app:');
      },
    );
  });
});

describe('cluster', () => {
  const redis = useRedisCluster();
  const admin = (): AdminNode[] => redis.cluster.masters;

  describe.each(variants)('$label', (variant) => {
    const connect = async (options?: Options) =>
      track(await variant.cluster(redis.cluster.rootNodes, options));

    it('satisfies RedisLikeClient', async () => {
      expectTypeOf(fromNodeRedis(await connect())).toExtend<RedisLikeClient>();
    });

    it('routes scripts by key: NOSCRIPT on a node until EVAL ran there', async () => {
      const client = fromNodeRedis(await connect());
      for (const key of ['{a}x', '{b}x', '{c}x']) {
        const script = `return KEYS[1] -- ${unique('fresh')}`;
        await expect(client.evalsha(sha1(script), [key], [])).rejects.toThrow(/^NOSCRIPT /);
        expect(await client.eval(script, [key], [])).toBe(key);
        expect(await client.evalsha(sha1(script), [key], [])).toBe(key);
      }
    });

    it('locks names with braces on every shard; a release wakes the waiter', async () => {
      const [holder, waiter] = [locksOn(await connect()), locksOn(await connect())];
      for (const name of ['{user}:42', 'a{b}c', 'x}y{z', '{}', 'tail{', 'plain']) {
        await handOff(holder, waiter, unique(name), admin());
      }
    });

    it.runIf(variant.keyPrefix)(
      'applies keyPrefix to keys and release channels alike',
      async () => {
        const options = { keyPrefix: 'app:' };
        const [holder, waiter] = [locksOn(await connect(options)), locksOn(await connect(options))];
        await handOff(holder, waiter, unique('{user}:7'), admin(), 'app:');
      },
    );

    it('wakes every listener after sharded subscribers reconnect, without an error listener', async () => {
      const user = await connect();
      expect(user.listenerCount('error')).toBe(0);
      const client = fromNodeRedis(user);
      const channels = ['{a}', '{b}', '{c}', '{d}'].map((tag) => unique(tag));
      const got: string[] = [];
      const offs = await Promise.all(
        channels.map((channel, i) => client.subscribe!(channel, (m) => got.push(`${i}:${m}`))),
      );
      const perNode = await Promise.all(admin().map((node) => pubsubConnections([node])));
      expect(perNode.filter((count) => count > 0).length).toBeGreaterThan(1);
      await Promise.all(admin().map((node) => node.command('CLIENT', 'KILL', 'TYPE', 'pubsub')));
      const woken = () => channels.every((_, i) => got.includes(`${i}:reconnected`));
      await eventually(woken, 'the reconnect wake-ups');
      for (const channel of channels) {
        await eventually(
          async () => (await shardSubscribers(admin(), channel)) === 1,
          'resubscribing',
        );
      }
      // Only the node that owns the channel's slot accepts the SPUBLISH; the others say MOVED.
      await Promise.all(
        admin().map((n) => n.command('SPUBLISH', channels[0]!, 'x').catch(() => 0)),
      );
      await eventually(() => got.includes('0:released'), 'a message after the reconnect');
      for (const off of offs) await off();
      await eventually(async () => (await pubsubConnections(admin())) === 0, 'subscribers closing');
    });
  });
});
