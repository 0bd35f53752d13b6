import {
  acquireScript,
  queuedAcquireScript,
  queuedReleaseScript,
  type RedisLikeClient,
  type RedisReply,
  type Script,
} from '@deadbolt/core';
import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';
import { recorder, type SuiteContext } from './suite-context.js';

const mutexScripts: readonly Script[] = [acquireScript, queuedAcquireScript, queuedReleaseScript];

/**
 * Wraps a client so that each script call (`EVALSHA` or `EVAL`) goes through `through`, with
 * the name of the mutex script it runs (`'other'` for the rest) and a function that sends it.
 */
function interceptScripts(
  through: (name: string, send: () => Promise<RedisReply>) => Promise<RedisReply>,
) {
  const nameOf = (match: (script: Script) => boolean) => mutexScripts.find(match)?.name ?? 'other';
  return (client: RedisLikeClient): RedisLikeClient => ({
    eval: (source, keys, args) =>
      through(
        nameOf((s) => s.source === source),
        () => client.eval(source, keys, args),
      ),
    evalsha: (sha, keys, args) =>
      through(
        nameOf((s) => s.sha1 === sha),
        () => client.evalsha(sha, keys, args),
      ),
    subscribe: (channel, onMessage) => client.subscribe!(channel, onMessage),
  });
}

/** Fails the queued acquire script once `broken.on` is set, as a dropped connection would. */
const failingAcquires = (broken: { on: boolean }) =>
  interceptScripts((name, send) =>
    broken.on && name === queuedAcquireScript.name
      ? Promise.reject(new Error('ECONNRESET'))
      : send(),
  );

/** Holds back the replies of the queued acquire script until `gate.wait` resolves. */
const heldBackAcquireReplies = (gate: { wait: Promise<void> }) =>
  interceptScripts((name, send) =>
    name === queuedAcquireScript.name
      ? send().then(async (reply) => {
          await gate.wait;
          return reply;
        })
      : send(),
  );

/** Records the name of each mutex script sent (`EVALSHA` or `EVAL`) into `sent`. */
const recordScripts = (sent: string[]) =>
  interceptScripts((name, send) => {
    sent.push(name);
    return send();
  });

/** Waits until no script call has reached Redis for 300 ms (in-flight attempts landed). */
async function waitForQuiet(s: SuiteContext): Promise<void> {
  let last = await s.topo.scriptCalls();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await s.topo.scriptCalls();
    if (now === last) return;
    last = now;
  }
}

/** Waiter-queue behaviour (single node and Cluster); runs inside `describeLockBehaviour`. */
export function waiterQueueBehaviour(s: SuiteContext): void {
  const queueKey = (name: string) => `deadbolt:{${name}}:queue`;
  const queued = async (name: string) => (await s.topo.keys(queueKey(name))).length > 0;
  // Long leases: no renewal call lands inside a measurement.
  const quiet = { queueLease: 60_000, retry: { minDelay: 60_000, maxDelay: 60_000 } };

  describe('waiter queue', () => {
    it('a release wakes exactly one waiting process; the others send nothing', async () => {
      const holder = await s.topo.createLocks();
      const name = s.uniqueName('queue');
      // Warm the script cache of the lock's node: no NOSCRIPT round trip in the measurement.
      await (await holder.acquire(name)).release();
      const held = await holder.acquire(name, { ttl: 60_000 });
      const waiters = await Promise.all([1, 2, 3].map(() => s.topo.createLocks(quiet)));
      let measured!: () => void;
      const measuring = new Promise<void>((resolve) => {
        measured = resolve;
      });
      let granted = 0;
      // Each waiter releases as soon as it got the lock, except that the first one keeps it
      // until the measurement is done.
      const grants = waiters.map((w) =>
        w.acquire(name, { wait: 20_000, ttl: 60_000 }).then(async (lock) => {
          granted++;
          await measuring;
          await lock.release();
        }),
      );
      // If an expectation fails, the waiters end with CLOSED at teardown: not unhandled.
      for (const grant of grants) grant.catch(() => {});
      await eventually(
        async () => (await s.topo.shardSubscribers(`deadbolt:{${name}}:wake:*`)) === 3,
      );
      // Each waiter tries once more right after its subscription is confirmed: let those land.
      await waitForQuiet(s);
      try {
        const before = await s.topo.scriptCalls();
        await held.release();
        await eventually(() => granted === 1);
        await new Promise((r) => setTimeout(r, 200));
        // The release and the woken process's one attempt; a broadcast would cost 1 + 3.
        expect((await s.topo.scriptCalls()) - before).toBe(2);
        expect(granted).toBe(1);
      } finally {
        measured();
      }
      await Promise.all(grants);
    });

    it('an uncontended acquire runs the plain acquire script; a waiter still joins the queue', async () => {
      const sent: string[] = [];
      const locks = await s.topo.createLocks({}, recordScripts(sent));
      const name = s.uniqueName('queue');
      await (await locks.acquire(name, { fair: false })).release();
      expect(sent).toContain('acquire');
      expect(sent).not.toContain('queued-acquire');
      // Contended: the attempt after subscribing joins the queue, and the release wakes it.
      const holder = await s.topo.createLocks();
      const held = await holder.acquire(name, { ttl: 60_000 });
      const waiting = locks.acquire(name, { wait: 20_000, fair: false });
      await eventually(() => queued(name), { what: 'the waiter to join the queue' });
      expect(sent).toContain('queued-acquire');
      await held.release();
      await (await waiting).release();
      await eventually(async () => !(await queued(name)), { what: 'the queue key to vanish' });
    });

    it('the queue key lives as long as its longest lease, so it expires if every waiter crashes', async () => {
      const holder = await s.topo.createLocks();
      const name = s.uniqueName('queue');
      const held = await holder.acquire(name, { ttl: 60_000 });
      const short = await s.topo.createLocks({ ...quiet, queueLease: 20_000 });
      const long = await s.topo.createLocks({ ...quiet, queueLease: 40_000 });
      const shortWait = short.acquire(name, { wait: 20_000 }).catch((e: unknown) => e);
      await eventually(() => queued(name));
      const first = await s.topo.pttl(queueKey(name));
      expect(first).toBeGreaterThan(10_000);
      expect(first).toBeLessThanOrEqual(20_000);
      // A longer lease moves the expiry later; a shorter one never moves it earlier.
      const longWait = long.acquire(name, { wait: 20_000 }).catch((e: unknown) => e);
      await eventually(async () => (await s.topo.pttl(queueKey(name))) > 20_000, {
        what: 'the longer lease to extend the queue key',
      });
      const other = await s.topo.createLocks({ ...quiet, queueLease: 1_000 });
      const otherWait = other.acquire(name, { wait: 20_000 }).catch((e: unknown) => e);
      // Three processes, an arrival and a lease entry each.
      await eventually(async () => Number(await s.topo.call('ZCARD', queueKey(name))) === 6, {
        what: 'the third process to join',
      });
      expect(await s.topo.pttl(queueKey(name))).toBeGreaterThan(20_000);
      await held.release();
      await Promise.all([short.close(), long.close(), other.close()]);
      await Promise.all([shortWait, longWait, otherWait]);
    });

    it('fair mode grants a free lock in arrival order, and refuses a newcomer at the back', async () => {
      const holder = await s.topo.createLocks();
      const name = s.uniqueName('queue');
      const held = await holder.acquire(name, { ttl: 60_000 });
      const order: number[] = [];
      const arrivals: Promise<void>[] = [];
      for (const i of [0, 1, 2]) {
        const locks = await s.topo.createLocks({ fair: true });
        arrivals.push(
          locks.acquire(name, { wait: 20_000 }).then(async (lock) => {
            order.push(i);
            await lock.release();
          }),
        );
        // The next one arrives only once this one is queued.
        await eventually(
          async () => (await s.topo.shardSubscribers(`deadbolt:{${name}}:wake:*`)) === i + 1,
        );
      }
      for (const arrival of arrivals) arrival.catch(() => {});
      const newcomer = await s.topo.createLocks({ fair: true });
      expect(await newcomer.tryAcquire(name)).toBeNull();
      // The lock is free, but not for a fair newcomer while others queue.
      await s.topo.del(held.key);
      expect(await newcomer.tryAcquire(name)).toBeNull();
      await held.release();
      await Promise.all(arrivals);
      expect(order).toEqual([0, 1, 2]);
    });

    it('fair mode drops a head entry that has no lease (left by hand) instead of waiting on it', async () => {
      const name = s.uniqueName('queue');
      // An arrival without its lease entry: nothing would ever sweep it.
      await s.topo.call('ZADD', queueKey(name), String(Date.now() * 1000 - 1_000_000), 'ghost');
      const locks = await s.topo.createLocks({ fair: true });
      const lock = await locks.acquire(name, { wait: 5_000 });
      expect(await s.topo.call('ZSCORE', queueKey(name), 'ghost')).toBeNull();
      await lock.release();
      await eventually(async () => !(await queued(name)), { what: 'the queue key to vanish' });
    });

    const fair = s.target.defaults?.fair === true;

    it.runIf(!fair)(
      'default mode lets a caller take a free lock at once (barging) in one script call',
      async () => {
        const name = s.uniqueName('queue');
        // Another process waits in the queue (a live lease) while the lock is free.
        // Its arrival (server µs) and its lease (expiry in server ms, far ahead).
        await s.topo.call('ZADD', queueKey(name), String(Date.now() * 1000), 'other-process');
        await s.topo.call('ZADD', queueKey(name), '99999999999999', 'lease:other-process');
        const barger = await s.topo.createLocks();
        const before = await s.topo.scriptCalls();
        const lock = await barger.tryAcquire(name);
        expect(lock).not.toBeNull();
        expect((await s.topo.scriptCalls()) - before).toBe(1);
        await lock!.release();
        await s.topo.del(queueKey(name));
      },
    );

    it('a woken process that fails before using its wake-up passes it on', async () => {
      const holder = await s.topo.createLocks();
      const name = s.uniqueName('queue');
      const held = await holder.acquire(name, { ttl: 60_000 });
      const broken = { on: false };
      const head = await s.topo.createLocks(quiet, failingAcquires(broken));
      const headWaiting = head.acquire(name, { wait: 20_000 }).catch((e: unknown) => e);
      await eventually(() => queued(name));
      const next = await s.topo.createLocks(quiet);
      const nextWaiting = next.acquire(name, { wait: 20_000 });
      await eventually(
        async () => (await s.topo.shardSubscribers(`deadbolt:{${name}}:wake:*`)) === 2,
      );
      broken.on = true;
      await held.release();
      expect(await headWaiting).toMatchObject({ code: 'REDIS_ERROR' });
      // Nothing else would wake it for 60 s (its lease, its backoff, the holder's ttl).
      const lock = await nextWaiting;
      await lock.release();
    });

    /** A waiter queues behind a holder, is aborted, and must leave no queue key behind. */
    async function abortQueuedWaiter(wrap?: (client: RedisLikeClient) => RedisLikeClient) {
      const holder = await s.topo.createLocks();
      const name = s.uniqueName('queue');
      const held = await holder.acquire(name, { ttl: 60_000 });
      const waiter = await s.topo.createLocks(quiet, wrap);
      // A wait that ends leaves this name's wake-up channel subscribed for a while: then the
      // next call's first attempt is the one that joins the queue (otherwise that is the
      // retry after subscribing).
      await waiter.acquire(name, { wait: 100 }).catch(() => {});
      await eventually(async () => !(await queued(name)), { what: 'the first wait to leave' });
      const controller = new AbortController();
      const pending = waiter
        .acquire(name, { wait: 20_000, signal: controller.signal })
        .catch((e: unknown) => e);
      await eventually(() => queued(name));
      controller.abort(new Error('gave up'));
      expect(await pending).toMatchObject({ message: 'gave up' });
      await eventually(async () => !(await queued(name)), { what: 'the queue key to vanish' });
      await held.release();
    }

    it('an aborted waiter leaves the queue, and the queue key is gone once nobody waits', () =>
      abortQueuedWaiter());

    it('a waiter aborted before the reply of its queuing attempt still leaves the queue', async () => {
      let open!: () => void;
      const gate = { wait: new Promise<void>((resolve) => (open = resolve)) };
      // The attempt runs in Redis and queues this process; its reply reaches the caller only
      // after the abort.
      await abortQueuedWaiter(heldBackAcquireReplies(gate));
      open();
    });

    it('a queued process that stops answering holds nobody up past its lease', async () => {
      const holder = await s.topo.createLocks();
      const name = s.uniqueName('queue');
      const held = await holder.acquire(name, { ttl: 60_000 });
      // The head's connection goes silent: its renewals and attempts never arrive.
      const silent = { on: false };
      const stuck = await s.topo.createLocks(
        { queueLease: 300, retry: { minDelay: 60_000, maxDelay: 60_000 } },
        (client) => ({
          eval: (a, b, c) => (silent.on ? new Promise(() => {}) : client.eval(a, b, c)),
          evalsha: (a, b, c) => (silent.on ? new Promise(() => {}) : client.evalsha(a, b, c)),
          subscribe: (channel, on) => client.subscribe!(channel, on),
        }),
      );
      const stuckWaiting = stuck.acquire(name, { wait: 5_000 }).catch((e: unknown) => e);
      await eventually(() => queued(name));
      const { events, onEvent } = recorder();
      const next = await s.topo.createLocks({ onEvent, queueLease: 300, retry: quiet.retry });
      const nextWaiting = next.acquire(name, { wait: 20_000 });
      await eventually(
        async () => (await s.topo.shardSubscribers(`deadbolt:{${name}}:wake:*`)) === 2,
      );
      silent.on = true;
      await held.release();
      const released = performance.now();
      const lock = await nextWaiting;
      // The lease (300 ms) plus a renewal period and generous slack; the holder's ttl was 60 s.
      expect(performance.now() - released).toBeLessThan(300 + 2_000);
      expect(events.some((e) => e.type === 'acquired')).toBe(true);
      await lock.release();
      await stuck.close();
      await stuckWaiting;
    });
  });
}
