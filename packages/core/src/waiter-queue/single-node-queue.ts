import { cancelScript } from '../cancel-script.js';
import type { AcquireReply, QueueAttempt, WaiterQueue } from '../lock-backend.js';
import type { LockKeys } from '../lock-keys.js';
import type { RedisLikeClient } from '../redis-like-client.js';
import { runScript } from '../script.js';
import { acquireReply } from '../script-replies.js';
import { queueLeaveScript } from './queue-leave-script.js';
import { queueRenewScript } from './queue-renew-script.js';
import { queuedAcquireScript } from './queued-acquire-script.js';
import { queuedReleaseScript } from './queued-release-script.js';

const flag = (value: boolean) => (value ? '1' : '0');

/** The waiter queue on one Redis server or Cluster (every key under the lock's hash tag). */
export class SingleNodeQueue implements WaiterQueue {
  constructor(private readonly client: RedisLikeClient) {}

  async acquire(
    keys: LockKeys,
    token: string,
    ttl: number,
    attempt: QueueAttempt,
  ): Promise<AcquireReply> {
    const reply = await runScript(
      this.client,
      queuedAcquireScript,
      [keys.key, keys.fenceKey, keys.queue],
      [
        token,
        String(ttl),
        attempt.processId,
        String(attempt.lease),
        flag(attempt.fair),
        flag(attempt.join),
        flag(attempt.othersWaiting),
        flag(attempt.queued),
      ],
    );
    return acquireReply('queued-acquire', reply);
  }

  async release(keys: LockKeys, token: string): Promise<boolean> {
    const reply = await runScript(
      this.client,
      queuedReleaseScript,
      [keys.key, keys.queue],
      [token],
    );
    return Number(reply) === 1;
  }

  async renew(keys: LockKeys, processId: string, lease: number): Promise<boolean> {
    const reply = await runScript(
      this.client,
      queueRenewScript,
      [keys.key, keys.queue],
      [processId, String(lease)],
    );
    return Number(reply) === 1;
  }

  async cancel(keys: LockKeys, token: string, ttl: number): Promise<void> {
    await runScript(this.client, cancelScript, [keys.key, keys.queue], [token, String(ttl)]);
  }

  async leave(keys: LockKeys, processId: string): Promise<void> {
    await runScript(this.client, queueLeaveScript, [keys.key, keys.queue], [processId]);
  }
}
