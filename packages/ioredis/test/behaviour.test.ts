import {
  clusterTarget,
  describeLockBehaviour,
  fairMode,
  singleNodeTarget,
} from '@deadbolt/testkit/suite';
import { Cluster, Redis } from 'ioredis';
import { Cluster as Cluster5, Redis as Redis5 } from 'ioredis5';
import { fromIoredis } from '../src/index.js';

const single6 = singleNodeTarget('ioredis 6', async ([node]) => {
  const redis = new Redis({ ...node, maxRetriesPerRequest: null });
  return { client: fromIoredis(redis), close: async () => void redis.disconnect() };
});
const cluster6 = clusterTarget('ioredis 6', async (rootNodes) => {
  const cluster = new Cluster(rootNodes);
  return { client: fromIoredis(cluster), close: async () => void cluster.disconnect() };
});

describeLockBehaviour(single6);
describeLockBehaviour(cluster6);
describeLockBehaviour(fairMode(single6));
describeLockBehaviour(fairMode(cluster6));

describeLockBehaviour(
  singleNodeTarget('ioredis 5', async ([node]) => {
    const redis = new Redis5({ ...node, maxRetriesPerRequest: null });
    return { client: fromIoredis(redis as never), close: async () => void redis.disconnect() };
  }),
);

describeLockBehaviour(
  clusterTarget('ioredis 5', async (rootNodes) => {
    const cluster = new Cluster5(rootNodes);
    return { client: fromIoredis(cluster as never), close: async () => void cluster.disconnect() };
  }),
);
