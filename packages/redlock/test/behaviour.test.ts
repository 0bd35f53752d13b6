import { fromIoredis } from '@deadbolt/ioredis';
import { describeLockBehaviour, quorumTarget } from '@deadbolt/testkit/suite';
import { Redis } from 'ioredis';
import { createRedlock } from '../src/index.js';

// The shared behaviour suite over a quorum of 3 and of 5 nodes.
for (const count of [3, 5]) {
  describeLockBehaviour(
    quorumTarget(
      'ioredis 6 · redlock',
      count,
      async ([node]) => {
        const redis = new Redis({ ...node!, maxRetriesPerRequest: null, retryStrategy: () => 20 });
        redis.on('error', () => {});
        return { client: fromIoredis(redis), close: async () => void redis.disconnect() };
      },
      (clients, options) => createRedlock(clients, options),
    ),
  );
}
