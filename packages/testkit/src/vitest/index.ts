export { type RedisClusterHandle, useRedisCluster } from './use-redis-cluster.js';
export { type RedisServerHandle, useRedisServer } from './use-redis-server.js';
export { type RedisServersHandle, useRedisServers } from './use-redis-servers.js';
