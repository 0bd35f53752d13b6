import { acquireScript } from './acquire-script.js';
import { extendScript } from './extend-script.js';
import { inspectScript } from './inspect-script.js';
import type { AcquireReply, ExtendReply, InspectReply, LockBackend } from './lock-backend.js';
import type { LockKeys } from './lock-keys.js';
import type { RedisLikeClient, RedisReply } from './redis-like-client.js';
import { releaseScript } from './release-script.js';
import { runScript } from './script.js';

function unexpected(script: string, reply: RedisReply): Error {
  return new Error(`Unexpected reply from the ${script} script: ${JSON.stringify(reply)}`);
}

function pair(script: string, reply: RedisReply): [number, number] {
  if (Array.isArray(reply) && reply.length === 2) {
    const [a, b] = reply.map(Number);
    if (Number.isFinite(a) && Number.isFinite(b)) return [a as number, b as number];
  }
  throw unexpected(script, reply);
}

/** Locks on one Redis server or one Redis Cluster, through any {@link RedisLikeClient}. */
export class SingleNodeBackend implements LockBackend {
  readonly subscribe: RedisLikeClient['subscribe'];

  constructor(private readonly client: RedisLikeClient) {
    this.subscribe = client.subscribe?.bind(client);
  }

  async acquire(keys: LockKeys, token: string, ttl: number): Promise<AcquireReply> {
    const reply = await runScript(
      this.client,
      acquireScript,
      [keys.key, keys.fenceKey],
      [token, String(ttl)],
    );
    const [status, value] = pair('acquire', reply);
    return status === 1 ? { acquired: true, fence: value } : { acquired: false, pttl: value };
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
    throw unexpected('extend', reply);
  }

  async inspect(keys: LockKeys): Promise<InspectReply | null> {
    const reply = await runScript(this.client, inspectScript, [keys.key, keys.fenceKey], []);
    if (reply === null) return null;
    const [pttl, fence] = pair('inspect', reply);
    return { pttl, fence };
  }
}
