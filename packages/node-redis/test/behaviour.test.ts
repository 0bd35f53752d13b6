import {
  type Connect,
  clusterTarget,
  describeLockBehaviour,
  fairMode,
  singleNodeTarget,
} from '@deadbolt/testkit/suite';
import { createClient, createCluster } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';
import { fromNodeRedis } from '../src/index.js';

// The behaviour suite every adapter passes, on node-redis 6 and 5, single node and cluster.
// No client gets an 'error' listener: the adapter must not need one.
const roots = (nodes: { host: string; port: number }[]) => nodes.map((socket) => ({ socket }));

const client6: Connect = async ([node]) => {
  const client = await createClient({ socket: node! }).connect();
  return { client: fromNodeRedis(client), close: async () => client.destroy() };
};
const client5: Connect = async ([node]) => {
  const client = await createClient5({ socket: node! }).connect();
  return { client: fromNodeRedis(client), close: async () => client.destroy() };
};
const cluster6: Connect = async (nodes) => {
  const cluster = await createCluster({ rootNodes: roots(nodes) }).connect();
  return { client: fromNodeRedis(cluster), close: async () => cluster.destroy() };
};
const cluster5: Connect = async (nodes) => {
  const cluster = await createCluster5({ rootNodes: roots(nodes) }).connect();
  return { client: fromNodeRedis(cluster), close: async () => cluster.destroy() };
};

describeLockBehaviour(singleNodeTarget('node-redis 6', client6));
describeLockBehaviour(singleNodeTarget('node-redis 5', client5));
describeLockBehaviour(clusterTarget('node-redis 6', cluster6));
describeLockBehaviour(clusterTarget('node-redis 5', cluster5));
describeLockBehaviour(fairMode(singleNodeTarget('node-redis 6', client6)));
describeLockBehaviour(fairMode(clusterTarget('node-redis 6', cluster6)));
