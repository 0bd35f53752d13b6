import { describe, expect, it } from 'vitest';
import { DeadlineClock } from './deadline-clock.js';

/** Resolves once `check` holds, polling every 5 ms, or rejects after 5 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('DeadlineClock', () => {
  it('fires every deadline that was not cancelled, in deadline order, and no other', async () => {
    const clock = new DeadlineClock();
    const start = performance.now();
    const fired: number[] = [];
    const kept = new Set<number>();
    // A fixed pseudo-random sequence of watches and cancels, deadlines 0-60 ms ahead.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const live: { at: number; cancel(): void }[] = [];
    for (let i = 0; i < 500; i++) {
      if (live.length > 0 && next() < 0.4) {
        const [gone] = live.splice(Math.floor(next() * live.length), 1);
        gone!.cancel();
        gone!.cancel(); // idempotent
        kept.delete(gone!.at);
      } else {
        const at = start + next() * 60 + i * 1e-6; // distinct
        const deadline = clock.watch(at, () => fired.push(at));
        live.push({ at, cancel: () => deadline.cancel() });
        kept.add(at);
      }
    }
    await until(() => fired.length >= kept.size && performance.now() > start + 80);
    expect(new Set(fired)).toEqual(kept);
    expect(fired).toEqual([...fired].sort((a, b) => a - b));
    for (const at of fired) expect(at).toBeLessThanOrEqual(performance.now());
  });

  it('fires nothing before its time, and re-arms for a deadline watched after an early one was cancelled', async () => {
    const clock = new DeadlineClock();
    const fired: string[] = [];
    const early = clock.watch(performance.now() + 5, () => fired.push('early'));
    early.cancel();
    const late = performance.now() + 40;
    let firedAt = 0;
    clock.watch(late, () => {
      firedAt = performance.now();
      fired.push('late');
    });
    await until(() => fired.length > 0);
    expect(fired).toEqual(['late']);
    expect(firedAt).toBeGreaterThanOrEqual(late);
  });

  it('fires the other deadlines due when one callback throws', async () => {
    const clock = new DeadlineClock();
    const fired: string[] = [];
    const at = performance.now() + 10;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    // vitest reports uncaught errors itself; take this one over for the test.
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      clock.watch(at, () => {
        throw new Error('boom');
      });
      clock.watch(at, () => fired.push('second'));
      await until(() => fired.length > 0 && uncaught.length > 0);
      expect(fired).toEqual(['second']);
      expect(uncaught).toMatchObject([{ message: 'boom' }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
  });

  it('waits for a deadline beyond the longest Node timer instead of firing at once', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const clock = new DeadlineClock();
      let fired = false;
      // Further ahead than a Node timer can wait (2^31 - 1 ms), as a reply bound of a
      // maximal `wait` plus its grace is.
      const deadline = clock.watch(performance.now() + 2 ** 31 + 1_000, () => {
        fired = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fired).toBe(false);
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
      deadline.cancel();
    } finally {
      process.off('warning', onWarning);
    }
  });

  it("does not keep the process alive (its timer is unref'd)", () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const clock = new DeadlineClock();
    const deadline = clock.watch(performance.now() + 60_000, () => {});
    expect(timers()).toBe(before);
    deadline.cancel();
  });
});
