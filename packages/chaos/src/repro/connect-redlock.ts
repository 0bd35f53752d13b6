import { fromIoredis } from '@deadbolt/ioredis';
import { createRedlock } from '@deadbolt/redlock';
import { Redis } from 'ioredis';

/**
 * The contenders of the redlock repro scripts: redlock over one ioredis client per port, set
 * up as redlock's README asks for nodes that fail (commands queue in order and are never
 * dropped, reconnect every 20 ms), ttl 1 s, wait 4 s.
 */
export function connectRedlock(ports: readonly number[]) {
  const clients = ports.map((port) => {
    const client = new Redis({ port, maxRetriesPerRequest: null, retryStrategy: () => 20 });
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
