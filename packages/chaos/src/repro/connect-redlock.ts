import { fromIoredis } from '@deadbolt/ioredis';
import { createRedlock } from '@deadbolt/redlock';
import { Redis } from 'ioredis';

/**
 * The contenders of the redlock repro scripts: redlock over one ioredis client per port, set
 * up as redlock's README asks for nodes that fail (commands queue in order and are never
 * dropped: `maxRetriesPerRequest: null`), ttl 1 s, wait 4 s.
 *
 * Reconnects follow ioredis's default backoff (50 ms more per attempt, up to 2 s), unless
 * `reconnectEveryMs` is given. Each attempt costs the client process CPU (measured: 8 clients
 * retrying every 20 ms took 11% of a core here), which a killed node makes every contender pay.
 */
export function connectRedlock(ports: readonly number[], reconnectEveryMs?: number) {
  const clients = ports.map((port) => {
    const client = new Redis({
      host: '127.0.0.1',
      port,
      maxRetriesPerRequest: null,
      ...(reconnectEveryMs === undefined ? {} : { retryStrategy: () => reconnectEveryMs }),
    });
    client.on('error', () => {});
    return client;
  });
  const locks = createRedlock(
    clients.map((client) => fromIoredis(client)),
    { ttl: 1_000, wait: 4_000 },
  );
  return {
    locks,
    async close() {
      await locks.close();
      for (const client of clients) client.disconnect();
    },
  };
}
