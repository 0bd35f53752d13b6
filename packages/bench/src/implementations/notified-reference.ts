import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectIoredis, runCached } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { HeldLock, Implementation, LockClient } from './lock-client.js';

function script(source: string) {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/** KEYS[1] lock; ARGV token, ttl. Returns -3 when taken, else the holder's PTTL. */
const acquire =
  script(`if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -3 end
return redis.call('PTTL', KEYS[1])`);

/** KEYS[1] lock; ARGV token, channel. Owner check, DEL, PUBLISH. */
const release = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], '1')
  return 1
end
return 0`);

const TAKEN = -3;

/** One channel of the shared subscriber connection. */
interface Channel {
  /** Release messages seen so far: an attempt compares it before and after. */
  seq: number;
  readonly sleepers: Set<() => void>;
  readonly subscribed: Promise<void>;
}

/**
 * The notified reference: what broadcast wake-up costs at its best, with no library around it.
 * One `EVALSHA` acquire that returns the holder's PTTL on refusal; a `SUBSCRIBE` to the lock's
 * channel on one shared subscriber connection per client (kept for the client's life); one
 * retry once the subscription is confirmed; then a wait for a release message or the PTTL,
 * whichever comes first. A release message that arrived while an attempt was in flight sends
 * the next attempt at once. Release is one `EVALSHA`: owner check, `DEL`, `PUBLISH`.
 */
export const notifiedReference: Implementation = {
  id: 'notified',
  label: 'notified reference',
  kind: 'reference',
  package: packageLabel('ioredis'),
  client: 'ioredis',
  tuning: 'defaults',
  waiting: 'pub/sub broadcast, PTTL-capped sleep',
  single: true,
  quorum: false,
  autoExtend: false,
  async open([endpoint]) {
    const client = await connectIoredis(endpoint!);
    let subscriber: Redis | undefined;
    const channels = new Map<string, Channel>();
    let attempts = 0;

    const subscribe = (name: string): Channel => {
      if (subscriber === undefined) {
        subscriber = client.duplicate();
        subscriber.on('error', () => {});
        subscriber.on('message', (channelName: string) => {
          const channel = channels.get(channelName);
          if (channel === undefined) return;
          channel.seq++;
          for (const wake of channel.sleepers) wake();
          channel.sleepers.clear();
        });
      }
      const channel: Channel = {
        seq: 0,
        sleepers: new Set(),
        subscribed: subscriber.subscribe(name).then(() => undefined),
      };
      channels.set(name, channel);
      return channel;
    };

    const lockClient: LockClient = {
      async acquire(key, ttl): Promise<HeldLock> {
        const token = randomBytes(16).toString('hex');
        const channelName = `${key}:released`;
        let channel = channels.get(channelName);
        for (;;) {
          const seenBefore = channel?.seq;
          attempts++;
          const reply = Number(await runCached(clientCalls, acquire, [key], [token, String(ttl)]));
          if (reply === TAKEN) {
            return {
              release: async () =>
                void (await runCached(clientCalls, release, [key], [token, channelName])),
            };
          }
          if (channel === undefined) {
            channel = subscribe(channelName);
            await channel.subscribed;
            continue; // The one retry after subscribing: a release before it was not heard.
          }
          await channel.subscribed;
          if (channel.seq !== seenBefore) continue; // A release landed while we were asking.
          const current = channel;
          // PTTL -1 (no expiry) or -2 (gone): try again soon rather than sleep forever.
          const sleepFor = reply >= 0 ? reply + 1 : 10;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(wake, sleepFor);
            function wake() {
              clearTimeout(timer);
              current.sleepers.delete(wake);
              resolve();
            }
            current.sleepers.add(wake);
          });
        }
      },
      counters: () => ({ attempts }),
      async close() {
        subscriber?.disconnect();
        client.disconnect();
      },
    };
    const clientCalls = {
      evalsha: (sha1: string, keys: readonly string[], args: readonly string[]) =>
        client.evalsha(sha1, keys.length, ...keys, ...args),
      eval: (source: string, keys: readonly string[], args: readonly string[]) =>
        client.eval(source, keys.length, ...keys, ...args),
    };
    return lockClient;
  },
};
