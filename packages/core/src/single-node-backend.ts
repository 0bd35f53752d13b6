import { acquireScript } from './acquire-script.js';
import { extendScript } from './extend-script.js';
import { inspectScript } from './inspect-script.js';
import type { AcquireReply, ExtendReply, InspectReply, LockBackend } from './lock-backend.js';
import type { LockKeys } from './lock-keys.js';
import type { RedisLikeClient } from './redis-like-client.js';
import { releaseScript } from './release-script.js';
import { runScript } from './script.js';
import { acquireReply, integerPair, unexpectedReply } from './script-replies.js';
import { SingleNodeQueue } from './waiter-queue/single-node-queue.js';

/** Locks on one Redis server or one Redis Cluster, through any {@link RedisLikeClient}. */
export class SingleNodeBackend implements LockBackend {
  readonly subscribe: RedisLikeClient['subscribe'];
  readonly queue: SingleNodeQueue;

  constructor(readonly client: RedisLikeClient) {
    this.subscribe = client.subscribe?.bind(client);
    this.queue = new SingleNodeQueue(client);
  }

  async acquire(keys: LockKeys, token: string, ttl: number): Promise<AcquireReply> {
    const reply = await runScript(
      this.client,
      acquireScript,
      [keys.key, keys.fenceKey],
      [token, String(ttl)],
    );
    return acquireReply('acquire', reply);
  }

  async release(keys: LockKeys, token: string): Promise<boolean> {
    const reply = await runScript(this.client, releaseScript, [keys.key], [token]);
    return Number(reply) === 1;
  }

  async extend(keys: LockKeys, token: string, ttl: number): Promise<ExtendReply> {
    const reply = Number(
      await runScript(this.client, extendScript, [keys.key], [token, String(ttl)]),
    );
    if (reply === 1) return 'extended';
    if (reply === 0) return 'absent';
    if (reply === -1) return 'taken';
    throw unexpectedReply('extend', reply);
  }

  async inspect(keys: LockKeys): Promise<InspectReply | null> {
    const reply = await runScript(this.client, inspectScript, [keys.key, keys.fenceKey], []);
    if (reply === null) return null;
    const [pttl, fence] = integerPair('inspect', reply);
    return { pttl, fence };
  }
}
