import { Cluster, Redis } from 'ioredis';
import type { RedisServer } from '../redis-server.js';

/** Admin access to the servers of a topology, bypassing deadbolt. */
export class NodeAdmin {
  readonly #nodes: Redis[];
  readonly #cluster: Cluster | undefined;

  constructor(
    private readonly servers: readonly RedisServer[],
    options: { cluster: boolean },
  ) {
    const connect = (port: number) =>
      new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 3 });
    this.#nodes = servers.map((s) => connect(s.port));
    this.#cluster = options.cluster
      ? new Cluster(servers.map((s) => ({ host: '127.0.0.1', port: s.port })))
      : undefined;
  }

  async get(key: string): Promise<string | null> {
    if (this.#cluster) return this.#cluster.get(key);
    const values = await Promise.all(this.#nodes.map((n) => n.get(key)));
    const counts = new Map<string | null, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }

  async pttl(key: string): Promise<number> {
    if (this.#cluster) return this.#cluster.pttl(key);
    return Math.max(...(await Promise.all(this.#nodes.map((n) => n.pttl(key)))));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (this.#cluster) await this.#cluster.set(key, value, 'PX', ttlMs);
    else await Promise.all(this.#nodes.map((n) => n.set(key, value, 'PX', ttlMs)));
  }

  async call(command: string, key: string, ...args: string[]): Promise<unknown> {
    if (this.#cluster) return this.#cluster.call(command, key, ...args);
    const replies = await Promise.all(this.#nodes.map((n) => n.call(command, key, ...args)));
    return replies[0];
  }

  async del(key: string): Promise<void> {
    if (this.#cluster) await this.#cluster.del(key);
    else await Promise.all(this.#nodes.map((n) => n.del(key)));
  }

  async shardSubscribers(pattern: string): Promise<number> {
    const lists = await Promise.all(
      this.#nodes.map((n) => n.call('PUBSUB', 'SHARDCHANNELS', pattern) as Promise<string[]>),
    );
    return lists.reduce((sum, list) => sum + list.length, 0);
  }

  async pause(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.pause()));
  }

  async resume(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.resume()));
  }

  async flushScripts(): Promise<void> {
    await Promise.all(this.#nodes.map((n) => n.script('FLUSH')));
  }

  async killPubSubConnections(): Promise<void> {
    await Promise.all(this.#nodes.map((n) => n.call('CLIENT', 'KILL', 'TYPE', 'pubsub')));
  }

  async scriptCalls(): Promise<number> {
    const infos = await Promise.all(this.#nodes.map((n) => n.info('commandstats')));
    let calls = 0;
    for (const info of infos) {
      for (const match of info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)) {
        calls += Number(match[1]);
      }
    }
    return calls;
  }

  async dbsize(): Promise<number> {
    const sizes = await Promise.all(this.#nodes.map((n) => n.dbsize()));
    return sizes.reduce((a, b) => a + b, 0);
  }

  /** Keys that hold or queue for something: not fence counters, not cancellation markers. */
  async heldKeys(): Promise<string[]> {
    return (await this.keys('*')).filter(
      (key) => !key.endsWith(':fence') && !key.includes(':cancelled:'),
    );
  }

  async keys(pattern: string): Promise<string[]> {
    const found = new Set<string>();
    for (const node of this.#nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) found.add(key);
      } while (cursor !== '0');
    }
    return [...found].sort();
  }

  async close(): Promise<void> {
    for (const node of this.#nodes) node.disconnect();
    this.#cluster?.disconnect();
  }
}
