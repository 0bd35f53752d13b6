import { describe, expect, it } from 'vitest';
import { WakeUpHub } from './wake-ups.js';

/** A subscribe that confirms at once and lets the test publish. */
function fakePubSub() {
  const handlers = new Map<string, (message: string) => void>();
  const unsubscribed: string[] = [];
  return {
    handlers,
    unsubscribed,
    subscribe: async (channel: string, onMessage: (message: string) => void) => {
      handlers.set(channel, onMessage);
      return async () => {
        unsubscribed.push(channel);
        handlers.delete(channel);
      };
    },
    publish: (channel: string) => handlers.get(channel)?.('released'),
  };
}

const never = 60_000;

describe('WakeUpHub', () => {
  it('wakes only the waiter that has waited longest', async () => {
    const bus = fakePubSub();
    const hub = new WakeUpHub(bus.subscribe, () => {});
    const [a, b] = [hub.join('ch'), hub.join('ch')];
    expect(await a.ready).toBe(true);
    const outcomes: string[] = [];
    const sleeps = [a, b].map((w, i) => w.sleep(never, []).then((o) => outcomes.push(`${i}:${o}`)));
    bus.publish('ch');
    await sleeps[0];
    expect(outcomes).toEqual(['0:woken']);
    a.attempted();
    a.leave();
    bus.publish('ch');
    await sleeps[1];
    expect(outcomes).toEqual(['0:woken', '1:woken']);
    b.leave();
    await hub.close();
  });

  it('keeps a wake-up that arrives while nobody sleeps for the next sleeper', async () => {
    const bus = fakePubSub();
    const hub = new WakeUpHub(bus.subscribe, () => {});
    const waiter = hub.join('ch');
    await waiter.ready;
    bus.publish('ch');
    expect(await waiter.sleep(never, [])).toBe('woken');
    waiter.leave();
    await hub.close();
  });

  it('passes an unused wake-up on when its waiter leaves', async () => {
    const bus = fakePubSub();
    const hub = new WakeUpHub(bus.subscribe, () => {});
    const [a, b] = [hub.join('ch'), hub.join('ch')];
    await a.ready;
    const first = a.sleep(never, []);
    const second = b.sleep(never, []);
    bus.publish('ch');
    expect(await first).toBe('woken');
    // a gives up (timeout or abort) before making its attempt: b must get the wake-up.
    a.leave();
    expect(await second).toBe('woken');
    b.leave();
    await hub.close();
  });

  it('does not pass on a wake-up that was used', async () => {
    const bus = fakePubSub();
    const hub = new WakeUpHub(bus.subscribe, () => {});
    const [a, b] = [hub.join('ch'), hub.join('ch')];
    await a.ready;
    const first = a.sleep(never, []);
    bus.publish('ch');
    await first;
    a.attempted();
    a.leave();
    const controller = new AbortController();
    const second = b.sleep(never, [controller.signal]);
    setTimeout(() => controller.abort(), 20);
    expect(await second).toBe('aborted');
    b.leave();
    await hub.close();
  });

  it('subscribes once per channel and unsubscribes on close', async () => {
    const bus = fakePubSub();
    let subscriptions = 0;
    const hub = new WakeUpHub(
      async (ch, on) => {
        subscriptions++;
        return bus.subscribe(ch, on);
      },
      () => {},
    );
    const waiters = [hub.join('ch'), hub.join('ch'), hub.join('other')];
    await Promise.all(waiters.map((w) => w.ready));
    expect(subscriptions).toBe(2);
    for (const w of waiters) w.leave();
    await hub.close();
    expect(bus.unsubscribed.sort()).toEqual(['ch', 'other']);
  });

  it('reports a failed subscription and lets its waiters poll', async () => {
    const errors: unknown[] = [];
    const hub = new WakeUpHub(
      async () => {
        throw new Error('subscriber connection refused');
      },
      (e) => errors.push(e),
    );
    const waiter = hub.join('ch');
    expect(await waiter.ready).toBe(false);
    expect(errors).toHaveLength(1);
    waiter.leave();
    await hub.close();
  });
});
