import { fromIoredis } from '@deadbolt/ioredis';
import type { RedisServer } from '@deadbolt/testkit';
import { Redis } from 'ioredis';

/**
 * An ioredis client set up for a node that tests stop, kill and restart:
 * - `enableOfflineQueue` stays on (the default): while a node is down, commands queue up in
 *   order, so the release that redlock sends after a failed acquire still runs after that
 *   acquire once the node is back, and a late grant is undone.
 * - `maxRetriesPerRequest: null`: ioredis never fails a queued command after a number of
 *   reconnect attempts. redlock bounds each node by `nodeTimeout` itself; a release dropped by
 *   the client would leave a late grant in place until its ttl.
 * - `retryStrategy: () => 20`: reconnect every 20 ms, so a restarted node rejoins the quorum
 *   at once instead of after ioredis's growing backoff.
 * - An `error` listener: connection errors are expected here and reach redlock through the
 *   commands; without a listener ioredis logs each one.
 */
export function connectNode(server: RedisServer): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port: server.port,
    maxRetriesPerRequest: null,
    retryStrategy: () => 20,
  });
  client.on('error', () => {});
  return client;
}

/** One ioredis client per server, adapted for redlock, and a way to close them all. */
export function connectQuorum(servers: readonly RedisServer[]) {
  const clients = servers.map(connectNode);
  return {
    clients,
    nodes: clients.map((client) => fromIoredis(client)),
    close() {
      for (const client of clients) client.disconnect();
    },
  };
}

/** Resolves once every client is connected and ready (e.g. after a node restarted). */
export async function waitUntilReady(clients: readonly Redis[], timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  while (clients.some((c) => c.status !== 'ready')) {
    if (performance.now() > deadline) {
      throw new Error(`clients not ready: ${clients.map((c) => c.status).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Brings every node back for the next test (a paused one resumes, a stopped one restarts
 * empty) and waits until every client is ready again.
 */
export async function restoreNodes(servers: readonly RedisServer[], clients: readonly Redis[]) {
  await Promise.all(
    servers.map(async (server) => {
      if (server.state === 'paused') await server.resume();
      if (server.state === 'stopped') await server.restart();
    }),
  );
  await waitUntilReady(clients);
}
