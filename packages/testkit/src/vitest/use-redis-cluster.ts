import {
  type RedisCluster,
  type RedisClusterOptions,
  startRedisCluster,
} from '../redis-cluster.js';
import { startedInBeforeAll } from './started-in-before-all.js';

/** What {@link useRedisCluster} returns. */
export interface RedisClusterHandle {
  /** The cluster; throws when read before `beforeAll` ran. */
  readonly cluster: RedisCluster;
}

/**
 * Gives the calling file (or describe block) its own Redis Cluster (default 3 masters, no
 * replicas): formed in `beforeAll`, stopped in `afterAll`.
 */
export function useRedisCluster(options?: RedisClusterOptions): RedisClusterHandle {
  const get = startedInBeforeAll(
    'useRedisCluster().cluster',
    () => startRedisCluster(options),
    (cluster) => cluster.stop(),
  );
  return {
    get cluster() {
      return get();
    },
  };
}
