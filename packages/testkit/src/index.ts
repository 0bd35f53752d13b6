export { findRedisServerBinary } from './find-redis-server-binary.js';
export { stopAllRedisServers } from './live-servers.js';
export { type LeakedServer, type ReapOptions, reapLeakedServers } from './reap-leaked-servers.js';
export {
  type RedisCluster,
  type RedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.js';
export {
  type RedisServer,
  type RedisServerOptions,
  type RedisServerState,
  type RestartOptions,
  startRedisServer,
} from './redis-server.js';
export { REGISTRY_ENV, type RegistryEntry } from './server-registry.js';
export { startRedisServers } from './start-redis-servers.js';
