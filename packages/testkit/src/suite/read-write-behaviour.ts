import { DeadboltError, LockTimeoutError } from '@deadbolt/core';
import { describe, expect, it } from 'vitest';
import { recorder, type SuiteContext } from './suite-context.js';

/** Read-write lock behaviour; runs inside `describeLockBehaviour`. */
export function readWriteBehaviour(s: SuiteContext): void {
  const timesOut = async (promise: Promise<unknown>) =>
    LockTimeoutError.isInstance(await promise.catch((e: unknown) => e));

  describe('read-write lock', () => {
    it('lets many readers in at once, and the writer in only after all left', async () => {
      const [a, b] = [await s.topo.createLocks(), await s.topo.createLocks()];
      const name = s.uniqueName('rw');
      const reads = [await a.readWrite(name).read(), await a.readWrite(name).read()];
      reads.push(await b.readWrite(name).read({ wait: 0 }));
      expect(await timesOut(b.readWrite(name).write({ wait: 100 }))).toBe(true);
      const writing = b.readWrite(name).write({ wait: 10_000 });
      for (const hold of reads) expect(await hold.release()).toBe(true);
      const write = await writing;
      expect(write.fence).toBeGreaterThan(Math.max(...reads.map((r) => r.fence)));
      await write.release();
    });

    it('keeps readers and other writers out while a writer holds it', async () => {
      const [a, b] = [await s.topo.createLocks(), await s.topo.createLocks()];
      const name = s.uniqueName('rw');
      const write = await a.readWrite(name).write();
      expect(await timesOut(b.readWrite(name).read({ wait: 100 }))).toBe(true);
      expect(await timesOut(b.readWrite(name).write({ wait: 100 }))).toBe(true);
      await write.release();
      const read = await b.readWrite(name).read({ wait: 1_000 });
      await read.release();
    });

    it('a waiting writer holds new readers back, so readers cannot starve it', async () => {
      const [a, b, c] = [
        await s.topo.createLocks(),
        await s.topo.createLocks(),
        await s.topo.createLocks(),
      ];
      const name = s.uniqueName('rw');
      const first = await a.readWrite(name).read({ ttl: 10_000 });
      const writing = b.readWrite(name).write({ wait: 10_000 });
      // Once the writer waits, a new reader must queue behind it.
      await new Promise((r) => setTimeout(r, 100));
      expect(await timesOut(c.readWrite(name).read({ wait: 200 }))).toBe(true);
      await first.release();
      const write = await writing;
      const reading = c.readWrite(name).read({ wait: 10_000 });
      await write.release();
      await (await reading).release();
    });

    it("each reader's hold expires on its own", async () => {
      const [a, b] = [await s.topo.createLocks(), await s.topo.createLocks()];
      const name = s.uniqueName('rw');
      const short = await a.readWrite(name).read({ ttl: 200 });
      const long = await a.readWrite(name).read({ ttl: 1_500 });
      const write = await b.readWrite(name).write({ wait: 10_000 });
      // The writer could only get in once the longer reader's hold had run out too.
      expect(short.isHeld).toBe(false);
      expect(long.isHeld).toBe(false);
      expect(await long.release()).toBe(false);
      await write.release();
    });

    it('a writer that gives up lets the readers it held back in at once', async () => {
      const [a, b, c] = [
        await s.topo.createLocks(),
        await s.topo.createLocks(),
        await s.topo.createLocks(),
      ];
      const name = s.uniqueName('rw');
      const first = await a.readWrite(name).read({ ttl: 10_000 });
      const controller = new AbortController();
      const writing = b
        .readWrite(name)
        .write({ wait: 10_000, signal: controller.signal })
        .catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100));
      const reading = c.readWrite(name).read({ wait: 10_000 });
      controller.abort(new Error('writer gave up'));
      expect(await writing).toMatchObject({ message: 'writer gave up' });
      const read = await reading;
      expect(first.isHeld && read.isHeld).toBe(true);
      await read.release();
      await first.release();
    });

    it.runIf(s.target.wakeUps)(
      'a write release wakes waiting readers without polling',
      async () => {
        const writer = await s.topo.createLocks();
        const { events, onEvent } = recorder();
        const readers = await s.topo.createLocks({
          onEvent,
          retry: { minDelay: 60_000, maxDelay: 60_000 },
        });
        const name = s.uniqueName('rw');
        const write = await writer.readWrite(name).write({ ttl: 60_000 });
        const pending = [1, 2, 3].map(() => readers.readWrite(name).read({ wait: 15_000 }));
        await s.waitUntilSubscribed(`deadbolt:{${name}}:write:released`);
        await new Promise((r) => setTimeout(r, 100));
        await write.release();
        const reads = await Promise.all(pending);
        for (const e of events.filter((x) => x.type === 'acquired')) {
          expect(e.attempts).toBeLessThanOrEqual(4);
        }
        for (const r of reads) await r.release();
      },
    );

    it('upgrading a read hold to the write hold is refused with a clear error', async () => {
      const locks = await s.topo.createLocks();
      const rw = locks.readWrite(s.uniqueName('rw'));
      const error = await rw
        .withRead(() => rw.withWrite(async () => 'never'))
        .catch((e: unknown) => e);
      expect(DeadboltError.isInstance(error) && error.code).toBe('LOCK_UPGRADE');
      const write = await rw.write({ wait: 1_000 });
      await write.release();
    });

    it('withRead and withWrite return what fn returns and release', async () => {
      const locks = await s.topo.createLocks();
      const rw = locks.readWrite(s.uniqueName('rw'));
      expect(await rw.withRead(async (hold) => hold.isHeld)).toBe(true);
      expect(await rw.withWrite(async (hold) => hold.isHeld)).toBe(true);
      const read = await rw.read({ wait: 0 });
      await read.release();
    });

    it('bad inputs throw TypeError or RangeError and write nothing', async () => {
      const locks = await s.topo.createLocks();
      const before = await s.topo.scriptCalls();
      expect(() => locks.readWrite(7 as never)).toThrow(TypeError);
      expect(() => locks.readWrite('')).toThrow(RangeError);
      const rw = locks.readWrite('x');
      await expect(rw.read({ ttl: 0 })).rejects.toThrow(/ttl/);
      await expect(rw.write({ wait: -1 })).rejects.toThrow(/wait/);
      await expect(rw.withRead(5 as never)).rejects.toThrow(/fn/);
      await expect(rw.withWrite(undefined as never)).rejects.toThrow(/fn/);
      expect(await s.topo.scriptCalls()).toBe(before);
    });
  });
}

/** Where semaphores and read-write locks are not offered, they fail clearly. */
export function sharedHoldsUnsupported(s: SuiteContext): void {
  it('semaphore() and readWrite() are refused with an UNSUPPORTED error', async () => {
    const locks = await s.topo.createLocks();
    expect(() => locks.semaphore('x', { limit: 2 })).toThrow(/not supported/);
    expect(() => locks.readWrite('x')).toThrow(/not supported/);
  });
}
