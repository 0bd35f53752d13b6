import { LockLostError, LockTimeoutError } from '@deadbolt/core';
import { describe, expect, it } from 'vitest';
import { recorder, type SuiteContext } from './suite-context.js';

/** Counting semaphore behaviour; runs inside `describeLockBehaviour`. */
export function semaphoreBehaviour(s: SuiteContext): void {
  const permitsKey = (name: string) => `deadbolt:{${name}}:permits`;

  describe('semaphore', () => {
    it('lets up to limit holders in, and the next one in when a permit is returned', async () => {
      const locks = await s.topo.createLocks();
      const sem = locks.semaphore(s.uniqueName('sem'), { limit: 3 });
      const permits = [await sem.acquire(), await sem.acquire(), await sem.acquire()];
      expect(await sem.tryAcquire()).toBeNull();
      expect(await permits[0]!.release()).toBe(true);
      const next = await sem.tryAcquire();
      expect(next).not.toBeNull();
      for (const p of [...permits.slice(1), next!]) expect(await p.release()).toBe(true);
    });

    it('fences strictly increase across permits', async () => {
      const locks = await s.topo.createLocks();
      const sem = locks.semaphore(s.uniqueName('sem'), { limit: 2 });
      const a = await sem.acquire();
      const b = await sem.acquire();
      await a.release();
      const c = await sem.acquire();
      expect(b.fence).toBeGreaterThan(a.fence);
      expect(c.fence).toBeGreaterThan(b.fence);
      await b.release();
      await c.release();
    });

    it('expires permits one by one, on the server clock', async () => {
      const locks = await s.topo.createLocks();
      const name = s.uniqueName('sem');
      const sem = locks.semaphore(name, { limit: 2 });
      const short = await sem.acquire({ ttl: 200 });
      const long = await sem.acquire({ ttl: 10_000 });
      expect(await sem.tryAcquire()).toBeNull();
      // The short permit runs out; the long one keeps its place.
      const third = await sem.acquire({ wait: 5_000 });
      expect(short.isHeld).toBe(false);
      expect(long.isHeld).toBe(true);
      expect(await sem.tryAcquire()).toBeNull();
      expect(await short.release()).toBe(false);
      await long.release();
      await third.release();
    });

    it.runIf(s.target.wakeUps)('a returned permit wakes a waiter without polling', async () => {
      const holder = await s.topo.createLocks();
      const { events, onEvent } = recorder();
      const waiter = await s.topo.createLocks({
        onEvent,
        retry: { minDelay: 60_000, maxDelay: 60_000 },
      });
      const name = s.uniqueName('sem');
      const held = await holder.semaphore(name, { limit: 1 }).acquire({ ttl: 60_000 });
      const pending = waiter.semaphore(name, { limit: 1 }).acquire({ wait: 15_000 });
      await s.waitUntilSubscribed(`${permitsKey(name)}:released`);
      await held.release();
      const permit = await pending;
      expect(events.find((e) => e.type === 'acquired')?.attempts).toBeLessThanOrEqual(3);
      await permit.release();
    });

    it('with different limits for one name, each caller applies its own limit', async () => {
      const locks = await s.topo.createLocks();
      const name = s.uniqueName('sem');
      const one = await locks.semaphore(name, { limit: 1 }).acquire();
      const two = await locks.semaphore(name, { limit: 2 }).tryAcquire();
      expect(two).not.toBeNull();
      expect(await locks.semaphore(name, { limit: 1 }).tryAcquire()).toBeNull();
      expect(await locks.semaphore(name, { limit: 2 }).tryAcquire()).toBeNull();
      const three = await locks.semaphore(name, { limit: 3 }).tryAcquire();
      expect(three).not.toBeNull();
      await three!.release();
      await one.release();
      await two!.release();
    });

    it('a permit extends, and reports released-elsewhere when its entry vanished', async () => {
      const locks = await s.topo.createLocks();
      const name = s.uniqueName('sem');
      const permit = await locks.semaphore(name, { limit: 2 }).acquire({ ttl: 300 });
      await permit.extend(5_000);
      expect(permit.remaining()).toBeGreaterThan(4_000);
      await s.topo.del(permitsKey(name));
      await s.topo.del(`${permitsKey(name)}:fences`);
      const error = await permit.extend().catch((e: unknown) => e);
      expect(LockLostError.isInstance(error) && error.reason).toBe('released-elsewhere');
    });

    it('withPermit keeps a long fn covered past the ttl, then returns the permit', async () => {
      const locks = await s.topo.createLocks();
      const name = s.uniqueName('sem');
      const sem = locks.semaphore(name, { limit: 1 });
      const result = await sem.withPermit(
        async (permit) => {
          await new Promise((r) => setTimeout(r, 700));
          expect(permit.isHeld).toBe(true);
          expect(await sem.tryAcquire()).toBeNull();
          return 'done';
        },
        { ttl: 200 },
      );
      expect(result).toBe('done');
      const again = await sem.tryAcquire();
      expect(again).not.toBeNull();
      await again!.release();
    });

    it('a permit whose holder vanished is reclaimed after its ttl', async () => {
      const [crashed, survivor] = [await s.topo.createLocks(), await s.topo.createLocks()];
      const name = s.uniqueName('sem');
      const abandoned = await crashed.semaphore(name, { limit: 1 }).acquire({ ttl: 300 });
      const error = await survivor
        .semaphore(name, { limit: 1 })
        .acquire({ wait: 50 })
        .catch((e: unknown) => e);
      expect(LockTimeoutError.isInstance(error)).toBe(true);
      const permit = await survivor.semaphore(name, { limit: 1 }).acquire({ wait: 5_000 });
      expect(permit.fence).toBeGreaterThan(abandoned.fence);
      await permit.release();
    });

    it('bad limits throw TypeError or RangeError naming limit, and write nothing', async () => {
      const locks = await s.topo.createLocks();
      const before = await s.topo.scriptCalls();
      const keys = await s.topo.dbsize();
      const cases: [unknown, ErrorConstructor][] = [
        [{ limit: 0 }, RangeError],
        [{ limit: -1 }, RangeError],
        [{ limit: 1.5 }, RangeError],
        [{ limit: Number.NaN }, RangeError],
        [{ limit: Number.POSITIVE_INFINITY }, RangeError],
        [{ limit: '2' }, TypeError],
        [{ limit: null }, TypeError],
        [{}, TypeError],
        [undefined, TypeError],
        [{ limit: 2, max: 3 }, TypeError],
      ];
      for (const [options, type] of cases) {
        const call = () => locks.semaphore('x', options as never);
        expect(call, JSON.stringify(options)).toThrow(type);
        expect(call).toThrow(/limit|max|options/);
      }
      expect(() => locks.semaphore('', { limit: 1 })).toThrow(RangeError);
      const sem = locks.semaphore('x', { limit: 1 });
      await expect(sem.acquire({ ttl: -1 })).rejects.toThrow(RangeError);
      await expect(sem.withPermit('fn' as never)).rejects.toThrow(TypeError);
      expect(await s.topo.scriptCalls()).toBe(before);
      expect(await s.topo.dbsize()).toBe(keys);
    });
  });
}
