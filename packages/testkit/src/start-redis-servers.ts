import { type RedisServer, type RedisServerOptions, startRedisServer } from './redis-server.js';

/**
 * Starts `count` independent servers in parallel (no replication, no cluster), e.g. the N
 * nodes of a Redlock quorum. Each has its own port, process and directory.
 *
 * @throws when any server fails to start; the ones that did start are stopped again.
 */
export async function startRedisServers(
  count: number,
  options: RedisServerOptions = {},
): Promise<RedisServer[]> {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(
      `startRedisServers(count): count must be a whole number >= 0, got ${count}`,
    );
  }
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => startRedisServer(options)),
  );
  const servers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure !== undefined) {
    await Promise.allSettled(servers.map((server) => server.stop()));
    throw failure.reason;
  }
  return servers;
}
