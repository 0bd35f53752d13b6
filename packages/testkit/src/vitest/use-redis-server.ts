import { type RedisServer, type RedisServerOptions, startRedisServer } from '../redis-server.js';
import { startedInBeforeAll } from './started-in-before-all.js';

/** What {@link useRedisServer} returns. */
export interface RedisServerHandle {
  /** The server; throws when read before `beforeAll` ran. */
  readonly server: RedisServer;
}

/**
 * Gives the calling file (or describe block) its own redis-server: started in `beforeAll`,
 * stopped in `afterAll` (paused or already stopped servers are fine).
 *
 * @example
 * const redis = useRedisServer();
 * test('ping', async () => expect(await redis.server.command('PING')).toBe('PONG'));
 */
export function useRedisServer(options?: RedisServerOptions): RedisServerHandle {
  const get = startedInBeforeAll(
    'useRedisServer().server',
    () => startRedisServer(options),
    (server) => server.stop(),
  );
  return {
    get server() {
      return get();
    },
  };
}
