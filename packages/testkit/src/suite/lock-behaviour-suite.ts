import {
  DeadboltError,
  type LockEvent,
  LockLostError,
  type Locks,
  LockTimeoutError,
} from '@deadbolt/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, freezeProcess } from './eventually.js';
import type { LockTarget, LockTopology } from './lock-topology.js';
import { readWriteBehaviour, sharedHoldsUnsupported } from './read-write-behaviour.js';
import { semaphoreBehaviour } from './semaphore-behaviour.js';
import { suiteContext } from './suite-context.js';
import { waiterQueueBehaviour } from './waiter-queue-behaviour.js';

/**
 * The mutex behaviour every adapter and topology must show, written once. An adapter wires
 * it in with `describeLockBehaviour(singleNodeTarget('my-client', connect))`.
 */
export function describeLockBehaviour(target: LockTarget): void {
  describe(`lock behaviour · ${target.label}`, () => {
    let topo: LockTopology;
    let counter = 0;
    const run = Math.random().toString(36).slice(2, 8);
    const uniqueName = (hint = 'lock') => `${hint}:${run}:${++counter}`;
    const keyOf = (name: string) => `deadbolt:{${name}}`;
    // A waiter listens on `<key>:wake:<process>` (waiter queue) or `<key>:released` (redlock).
    const channelOf = (name: string) => `deadbolt:{${name}}:*`;

    function recorder() {
      const events: LockEvent[] = [];
      return { events, onEvent: (e: LockEvent) => events.push(e) };
    }

    async function waitUntilSubscribed(name: string) {
      await eventually(async () => (await topo.shardSubscribers(channelOf(name))) > 0, {
        what: `a subscriber on ${channelOf(name)}`,
      });
    }

    beforeAll(async () => {
      topo = await target.setup();
    });

    afterEach(async () => {
      vi.restoreAllMocks();
      await topo?.closeLocks();
      // Every test cleans up, and no queue outlives its waiters.
      let left: string[] = [];
      await eventually(
        async () => {
          left = await topo.heldKeys();
          return left.length === 0;
        },
        { what: 'every lock key and waiter queue to be gone' },
      ).catch(async (error: unknown) => {
        // Clean up so that only this test fails, then report it.
        for (const key of left) await topo.del(key);
        throw new Error(`keys left after the test: ${left.join(', ')}`, { cause: error });
      });
    });

    afterAll(async () => {
      await topo?.teardown();
    });

    it('acquire stores our token under the key, release removes it', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      const lock = await locks.acquire(name, { ttl: 5_000 });
      expect(lock.name).toBe(name);
      expect(lock.key).toBe(keyOf(name));
      expect(lock.token).toMatch(/^[0-9a-f]{32}$/);
      expect(await topo.get(lock.key)).toBe(lock.token);
      expect(lock.isHeld).toBe(true);
      expect(lock.remaining()).toBeGreaterThan(4_000);
      expect(lock.remaining()).toBeLessThanOrEqual(5_000);
      expect(await lock.release()).toBe(true);
      expect(await topo.get(lock.key)).toBeNull();
      expect(lock.isHeld).toBe(false);
      expect(await lock.release()).toBe(false);
    });

    it('fence strictly increases across acquisitions of a name', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      const fences: number[] = [];
      for (let i = 0; i < 5; i++) {
        const lock = await locks.acquire(name);
        fences.push(lock.fence);
        await lock.release();
      }
      for (let i = 1; i < fences.length; i++) expect(fences[i]).toBeGreaterThan(fences[i - 1]!);
    });

    it('tryAcquire resolves null while another owner holds the lock', async () => {
      const [a, b] = [await topo.createLocks(), await topo.createLocks()];
      const name = uniqueName();
      const held = await a.acquire(name);
      expect(await b.tryAcquire(name)).toBeNull();
      await held.release();
      const mine = await b.tryAcquire(name);
      expect(mine).not.toBeNull();
      await mine?.release();
    });

    it('isLocked and inspect read the lock without changing it', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      expect(await locks.isLocked(name)).toBe(false);
      expect(await locks.inspect(name)).toBeNull();
      const lock = await locks.acquire(name, { ttl: 5_000 });
      const info = await locks.inspect(name);
      expect(info).toMatchObject({ name, key: keyOf(name), fence: lock.fence });
      expect(info?.ttl).toBeGreaterThan(0);
      expect(info?.ttl).toBeLessThanOrEqual(5_000);
      expect(await locks.isLocked(name)).toBe(true);
      expect(await topo.get(lock.key)).toBe(lock.token);
      await lock.release();
      expect(await locks.isLocked(name)).toBe(false);
    });

    it.runIf(target.wakeUps)(
      'a waiter gets the lock right after a release, without sitting out a poll interval',
      async () => {
        const holder = await topo.createLocks();
        const { events, onEvent } = recorder();
        const waiter = await topo.createLocks({
          onEvent,
          retry: { minDelay: 60_000, maxDelay: 60_000 },
        });
        const name = uniqueName();
        // The holder's ttl (60 s) is far beyond the wait (15 s): only a wake-up can hand over.
        const held = await holder.acquire(name, { ttl: 60_000 });
        const pending = waiter.acquire(name, { wait: 15_000 });
        await waitUntilSubscribed(name);
        await eventually(() => events.some((e) => e.type === 'contended'));
        await held.release();
        const lock = await pending;
        const acquired = events.find((e) => e.type === 'acquired');
        // One refused attempt, one right after subscribing, then one per release message: a
        // single node sends one. On a quorum each node publishes its own, and an attempt woken
        // by the first may reach nodes that have not released yet.
        expect(acquired?.attempts).toBeLessThanOrEqual(2 + target.nodes);
        await lock.release();
      },
    );

    it.runIf(target.wakeUps)(
      'a release wakes the local waiter that has waited longest',
      async () => {
        const holder = await topo.createLocks();
        const waiters = await topo.createLocks();
        const name = uniqueName();
        const first = await holder.acquire(name, { ttl: 60_000 });
        const order: number[] = [];
        const pending = [0, 1, 2].map(async (i) => {
          // Stagger arrivals so the queue order is known.
          await new Promise((r) => setTimeout(r, i * 50));
          const lock = await waiters.acquire(name, { wait: 15_000, ttl: 60_000 });
          order.push(i);
          await lock.release();
        });
        await waitUntilSubscribed(name);
        await new Promise((r) => setTimeout(r, 200));
        await first.release();
        await Promise.all(pending);
        expect(order).toEqual([0, 1, 2]);
      },
    );

    it('acquire gives up with LockTimeoutError carrying name, waited ms and attempts', async () => {
      const [a, b] = [await topo.createLocks(), await topo.createLocks()];
      const name = uniqueName();
      const held = await a.acquire(name, { ttl: 10_000 });
      const error = await b.acquire(name, { wait: 300 }).catch((e: unknown) => e);
      expect(LockTimeoutError.isInstance(error)).toBe(true);
      const timeout = error as LockTimeoutError;
      expect(timeout).toMatchObject({ code: 'LOCK_TIMEOUT', lockName: name });
      expect(timeout.waitedMs).toBeGreaterThanOrEqual(300);
      expect(timeout.attempts).toBeGreaterThanOrEqual(1);
      expect(timeout.cause).toBeUndefined();
      const once = await b.acquire(name, { wait: 0 }).catch((e: unknown) => e);
      expect((once as LockTimeoutError).attempts).toBe(1);
      await held.release();
    });

    it('a waiter takes over a lock whose holder never releases once its ttl runs out', async () => {
      const [a, b] = [await topo.createLocks(), await topo.createLocks()];
      const name = uniqueName();
      const abandoned = await a.acquire(name, { ttl: 300 });
      const lock = await b.acquire(name, { wait: 5_000 });
      expect(abandoned.isHeld).toBe(false);
      expect(lock.fence).toBeGreaterThan(abandoned.fence);
      await lock.release();
    });

    it('a holder frozen past its ttl sees the lock lost and cannot touch the new owner', async () => {
      const [a, b] = [await topo.createLocks(), await topo.createLocks()];
      const name = uniqueName();
      const stale = await a.acquire(name, { ttl: 200 });
      freezeProcess(400);
      expect(stale.isHeld).toBe(false);
      expect(stale.remaining()).toBe(0);
      await eventually(() => stale.signal.aborted, { what: 'the stale signal to abort' });
      expect(LockLostError.isInstance(stale.signal.reason)).toBe(true);
      const fresh = await b.acquire(name, { wait: 2_000 });
      const extended = await stale.extend().catch((e: unknown) => e);
      expect(LockLostError.isInstance(extended)).toBe(true);
      expect(await stale.release()).toBe(false);
      expect(await topo.get(fresh.key)).toBe(fresh.token);
      expect(fresh.isHeld).toBe(true);
      await fresh.release();
    });

    it('extend resets the ttl, and rejects with LockLostError once another owner took over', async () => {
      const [a, b] = [await topo.createLocks(), await topo.createLocks()];
      const name = uniqueName();
      const lock = await a.acquire(name, { ttl: 300 });
      await lock.extend(5_000);
      expect(lock.remaining()).toBeGreaterThan(4_000);
      expect(await topo.pttl(lock.key)).toBeGreaterThan(4_000);
      await lock.release();

      const stale = await a.acquire(name, { ttl: 200 });
      const taken = await b.acquire(name, { wait: 3_000 });
      const error = await stale.extend().catch((e: unknown) => e);
      expect(LockLostError.isInstance(error)).toBe(true);
      expect(['taken', 'expired']).toContain((error as LockLostError).reason);
      expect(await topo.get(taken.key)).toBe(taken.token);
      await taken.release();
    });

    it('a lock whose key vanished is reported lost as released-elsewhere on extend', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      const lock = await locks.acquire(name, { ttl: 10_000 });
      await topo.del(lock.key);
      const error = await lock.extend().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LOCK_LOST', reason: 'released-elsewhere' });
      expect(lock.signal.aborted).toBe(true);
      expect(lock.isHeld).toBe(false);
    });

    it('withLock returns what fn returns and releases the lock', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      let key = '';
      const result = await locks.withLock(name, async (lock) => {
        key = lock.key;
        expect(await topo.get(lock.key)).toBe(lock.token);
        return 42;
      });
      expect(result).toBe(42);
      expect(await topo.get(key)).toBeNull();
    });

    it("withLock rejects with fn's own error and still releases", async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      const failure = new Error('charge failed');
      await expect(
        locks.withLock(name, async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await locks.isLocked(name)).toBe(false);
    });

    it('withLock rejects with LockLostError when the lock is lost during fn, even if fn resolved', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      const outcome = await locks
        .withLock(
          name,
          async (lock) => {
            await topo.set(lock.key, 'someone-else', 10_000);
            await eventually(() => lock.signal.aborted, { what: 'the lock signal to abort' });
            return 'done';
          },
          { ttl: 300 },
        )
        .catch((e: unknown) => e);
      expect(LockLostError.isInstance(outcome)).toBe(true);
      expect((outcome as LockLostError).reason).toBe('taken');
      expect(await topo.get(keyOf(name))).toBe('someone-else');
      await topo.del(keyOf(name));
    });

    it('withLock keeps a long fn covered by auto-extension well past the ttl', async () => {
      const { events, onEvent } = recorder();
      const locks = await topo.createLocks({ onEvent });
      const name = uniqueName();
      await locks.withLock(
        name,
        async (lock) => {
          await new Promise((r) => setTimeout(r, 2_000));
          expect(lock.isHeld).toBe(true);
          expect(lock.signal.aborted).toBe(false);
          expect(await topo.get(lock.key)).toBe(lock.token);
        },
        { ttl: 600 },
      );
      expect(events.filter((e) => e.type === 'extended').length).toBeGreaterThanOrEqual(3);
      expect(events.some((e) => e.type === 'lost')).toBe(false);
    });

    it('an acquire aborted while waiting rejects with signal.reason and leaves no key behind', async () => {
      const [a, b] = [await topo.createLocks(), await topo.createLocks()];
      const { events, onEvent } = recorder();
      const c = await topo.createLocks({ onEvent });
      const name = uniqueName();
      const held = await a.acquire(name, { ttl: 10_000 });
      const controller = new AbortController();
      const reason = new Error('user gave up');
      const pending = b.acquire(name, { wait: 10_000, signal: controller.signal });
      const other = c.acquire(name, { wait: 10_000 });
      await eventually(() => events.some((e) => e.type === 'contended'));
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await held.release();
      const next = await other;
      expect(await topo.get(next.key)).toBe(next.token);
      await next.release();
      expect(await topo.get(keyOf(name))).toBeNull();
    });

    /**
     * Sends an acquire (ttl 30 s) while the server is paused, aborts it, then resumes the
     * server: the grant lands after its caller left.
     */
    async function abortWhilePaused(locks: Locks, name: string): Promise<void> {
      const controller = new AbortController();
      await topo.pause();
      try {
        const pending = locks.acquire(name, { ttl: 30_000, signal: controller.signal });
        await new Promise((r) => setTimeout(r, 50));
        controller.abort(new Error('cancelled'));
        await expect(pending).rejects.toThrow('cancelled');
      } finally {
        await topo.resume();
      }
    }

    it('an acquire aborted while the server is paused gives back the grant that lands later', async () => {
      const locks = await topo.createLocks();
      await locks.isLocked('warm-up');
      const name = uniqueName();
      await abortWhilePaused(locks, name);
      // Without the late release, the key would stay for its 30 s ttl.
      await eventually(async () => (await topo.pttl(keyOf(name))) === -2, {
        what: 'the late grant to be released',
      });
    });

    it('close() lets the give-back of a late grant reach Redis before the client is closed', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      // The acquire script is cached on the lock's node, the cancellation is not: giving the
      // grant back takes a NOSCRIPT round trip after the server resumes.
      await topo.flushScripts();
      await (await locks.acquire(name)).release();
      await abortWhilePaused(locks, name);
      // Close the Locks and at once the client, as an application shutting down would.
      await topo.closeLocks();
      await eventually(async () => (await topo.pttl(keyOf(name))) === -2, {
        what: 'the late grant to be given back',
      });
    });

    it('a stuck acquire ends within wait plus a short grace (LockTimeoutError, QuorumError on a quorum)', async () => {
      const locks = await topo.createLocks();
      await locks.isLocked('warm-up');
      const name = uniqueName();
      await topo.pause();
      let error: unknown;
      const started = performance.now();
      try {
        error = await locks.acquire(name, { ttl: 30_000, wait: 300 }).catch((e: unknown) => e);
      } finally {
        await topo.resume();
      }
      const elapsed = performance.now() - started;
      if (target.quorum) {
        // Every node timed out: an outage, reported at once, not waited out.
        expect(error).toMatchObject({ code: 'QUORUM' });
      } else {
        expect(LockTimeoutError.isInstance(error)).toBe(true);
        expect((error as LockTimeoutError).cause).toMatchObject({ code: 'REPLY_TIMEOUT' });
      }
      expect(elapsed).toBeLessThan(300 + 1_000 + 2_000);
      await eventually(async () => (await topo.pttl(keyOf(name))) === -2, {
        what: 'the late grant to be released',
      });
    });

    it('SCRIPT FLUSH in the middle of use changes nothing', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      const lock = await locks.acquire(name, { ttl: 5_000 });
      await topo.flushScripts();
      await lock.extend(6_000);
      expect(await topo.pttl(lock.key)).toBeGreaterThan(5_000);
      await topo.flushScripts();
      expect(await lock.release()).toBe(true);
      await topo.flushScripts();
      const again = await locks.acquire(name);
      expect(again.fence).toBeGreaterThan(lock.fence);
      await topo.flushScripts();
      expect(await locks.inspect(name)).toMatchObject({ fence: again.fence });
      await again.release();
    });

    it.runIf(target.wakeUps)('CLIENT KILL TYPE pubsub does not strand waiters', async () => {
      const holder = await topo.createLocks();
      const waiter = await topo.createLocks({ retry: { minDelay: 60_000, maxDelay: 60_000 } });
      const name = uniqueName();
      const held = await holder.acquire(name, { ttl: 60_000 });
      const pending = waiter.acquire(name, { wait: 20_000 });
      await waitUntilSubscribed(name);
      await topo.killPubSubConnections();
      await held.release();
      const released = performance.now();
      const lock = await pending;
      // A stranded waiter would only get in with its last attempt, when the wait (20 s) ends.
      expect(performance.now() - released).toBeLessThan(10_000);
      expect(await topo.get(lock.key)).toBe(lock.token);
      await lock.release();
    });

    it('moving the wall clock by hours changes no validity', async () => {
      const locks = await topo.createLocks();
      const name = uniqueName();
      const lock = await locks.acquire(name, { ttl: 5_000 });
      const expiresAt = lock.expiresAt;
      const realNow = Date.now();
      vi.spyOn(Date, 'now').mockReturnValue(realNow + 3 * 3_600_000);
      expect(lock.isHeld).toBe(true);
      expect(lock.remaining()).toBeGreaterThan(4_000);
      expect(lock.expiresAt).toBe(expiresAt);
      const other = await locks.acquire(uniqueName(), { ttl: 5_000 });
      expect(other.remaining()).toBeGreaterThan(4_000);
      vi.spyOn(Date, 'now').mockReturnValue(realNow - 3 * 3_600_000);
      expect(lock.isHeld).toBe(true);
      await lock.release();
      await other.release();
    });

    it.each(['a{b}c', '{x}', 'x}y{', '{{nested}}', 'a{'])(
      'a name with braces (%j) keeps all its keys in one slot',
      async (hint) => {
        const locks = await topo.createLocks();
        const name = `${hint}${uniqueName('')}`;
        const lock = await locks.acquire(name, { ttl: 5_000 });
        await lock.extend();
        expect(await locks.inspect(name)).toMatchObject({ fence: lock.fence });
        expect(await lock.release()).toBe(true);
      },
    );

    it('bad inputs throw TypeError or RangeError naming the argument, and send nothing', async () => {
      const locks = await topo.createLocks();
      const before = await topo.scriptCalls();
      const keysBefore = await topo.dbsize();
      const cases: [() => Promise<unknown>, ErrorConstructor, RegExp][] = [
        [() => locks.acquire(42 as unknown as string), TypeError, /name/],
        [() => locks.acquire(''), RangeError, /name/],
        [() => locks.acquire('x'.repeat(2_000)), RangeError, /name/],
        [() => locks.acquire('}x'), RangeError, /name/],
        [() => locks.acquire('x', { ttl: 0 }), RangeError, /ttl/],
        [() => locks.acquire('x', { ttl: -1 }), RangeError, /ttl/],
        [() => locks.acquire('x', { ttl: 1.5 }), RangeError, /ttl/],
        [() => locks.acquire('x', { ttl: Number.NaN }), RangeError, /ttl/],
        [() => locks.acquire('x', { ttl: '100' as unknown as number }), TypeError, /ttl/],
        [() => locks.acquire('x', { ttl: 2 ** 40 }), RangeError, /ttl/],
        [() => locks.acquire('x', { wait: -5 }), RangeError, /wait/],
        [() => locks.acquire('x', { wait: Number.POSITIVE_INFINITY }), RangeError, /wait/],
        [() => locks.acquire('x', { signal: {} as AbortSignal }), TypeError, /signal/],
        [
          () => locks.acquire('x', { autoExtend: 'yes' as unknown as boolean }),
          TypeError,
          /autoExtend/,
        ],
        [() => locks.acquire('x', { tll: 5 } as never), TypeError, /tll/],
        [() => locks.acquire('x', 'fast' as never), TypeError, /options/],
        [() => locks.tryAcquire('x', { wait: 5 } as never), TypeError, /wait/],
        [() => locks.withLock('x', 'not a function' as never), TypeError, /fn/],
        [() => locks.inspect(null as unknown as string), TypeError, /name/],
        [() => locks.isLocked(undefined as unknown as string), TypeError, /name/],
      ];
      for (const [call, type, argument] of cases) {
        const error = await call().then(
          () => new Error('resolved'),
          (e: unknown) => e,
        );
        expect(error, String(call)).toBeInstanceOf(type);
        expect((error as Error).message, String(call)).toMatch(argument);
      }
      expect(await topo.scriptCalls()).toBe(before);
      expect(await topo.dbsize()).toBe(keysBefore);
      const lock = await locks.acquire(uniqueName(), { ttl: 5_000 });
      const held = await topo.scriptCalls();
      for (const ttl of [-1, 0, 2.5, Number.NaN, '5' as unknown as number]) {
        const error = await lock.extend(ttl).catch((e: unknown) => e);
        expect(error instanceof RangeError || error instanceof TypeError).toBe(true);
        expect((error as Error).message).toMatch(/ttl/);
      }
      expect(await topo.scriptCalls()).toBe(held);
      expect(await lock.release()).toBe(true);
    });

    it('close() rejects waiting acquires with a CLOSED error and later calls too', async () => {
      const [a, b] = [await topo.createLocks(), await topo.createLocks()];
      const name = uniqueName();
      const held = await a.acquire(name, { ttl: 10_000 });
      const settled = b.acquire(name, { wait: 10_000 }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      await b.close();
      const error = await settled;
      expect(DeadboltError.isInstance(error) && error.code).toBe('CLOSED');
      await expect(b.acquire(name)).rejects.toMatchObject({ code: 'CLOSED' });
      await held.release();
    });

    it('an onEvent listener that throws never breaks the lock path', async () => {
      const locks = await topo.createLocks({
        onEvent: () => {
          throw new Error('broken logger');
        },
      });
      const result = await locks.withLock(uniqueName(), async () => 'ok', { ttl: 200 });
      expect(result).toBe('ok');
    });

    const shared = suiteContext(target, () => topo);
    if (!target.quorum && target.wakeUps) waiterQueueBehaviour(shared);
    if (target.sharedHolds) {
      semaphoreBehaviour(shared);
      readWriteBehaviour(shared);
    } else {
      sharedHoldsUnsupported(shared);
    }

    it('leaves no lock key behind', async () => {
      await topo.closeLocks();
      const left = await topo.heldKeys();
      expect(left, `keys left: ${left.join(', ')}`).toEqual([]);
    });
  });
}

export type { Locks };
