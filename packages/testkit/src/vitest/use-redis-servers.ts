import type { RedisServer, RedisServerOptions } from '../redis-server.js';
import { startRedisServers } from '../start-redis-servers.js';
import { startedInBeforeAll } from './started-in-before-all.js';

/** What {@link useRedisServers} returns. */
export interface RedisServersHandle {
  /** The servers; throws when read before `beforeAll` ran. */
  readonly servers: RedisServer[];
}

/**
 * Gives the calling file (or describe block) `count` independent redis-servers, e.g. for a
 * Redlock quorum: started in `beforeAll`, stopped in `afterAll`.
 */
export function useRedisServers(count: number, options?: RedisServerOptions): RedisServersHandle {
  const get = startedInBeforeAll(
    'useRedisServers().servers',
    () => startRedisServers(count, options),
    async (servers) => {
      const results = await Promise.allSettled(servers.map((server) => server.stop()));
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (errors.length > 0) throw new AggregateError(errors, 'some redis-servers did not stop');
    },
  );
  return {
    get servers() {
      return get();
    },
  };
}
