import { BackgroundWork } from './background-work.js';
import type { QueueMembership } from './hold-ops.js';
import { REPLY_GRACE_MS } from './lock.js';
import type { RedisLikeClient } from './redis-like-client.js';
import { abortReason, settleWithin } from './settle-within.js';
import { onStop, type StopSignal } from './stop-signal.js';

type Subscribe = NonNullable<RedisLikeClient['subscribe']>;

/** How long an idle channel stays subscribed, so a busy lock does not resubscribe each time. */
const LINGER_MS = 5_000;

interface Channel {
  readonly name: string;
  /** Waiters in arrival order: the first one has waited longest. */
  readonly waiters: Waiter[];
  /** A wake-up arrived while no waiter was asleep; the next one to sleep takes it. */
  pending: boolean;
  readonly subscription: Promise<(() => Promise<void>) | undefined>;
  /** Set once the subscription is confirmed. */
  subscribed: boolean;
  linger: ReturnType<typeof setTimeout> | undefined;
  /** This process's entry in the lock's waiter queue, renewed while anyone waits here. */
  queue: QueueMembership | undefined;
  renewal: ReturnType<typeof setInterval> | undefined;
  /** The renewal call in flight, if any. */
  renewing: Promise<unknown> | undefined;
}

/**
 * Release messages, turned into wake-ups for the local waiters of each lock. All of a
 * `Locks`' waiting goes through here, on one subscriber connection (the adapter's).
 *
 * The policy lives in {@link WakeUpHub.deliver}: a release wakes the one local waiter that has
 * waited longest, not all of them, so a handoff costs one attempt per waiting process. A woken
 * waiter that leaves before using its wake-up hands it to the next one.
 */
export class WakeUpHub {
  readonly #channels = new Map<string, Channel>();
  #closed = false;

  /** `background` tracks queue exits in flight, so that `Locks.close()` lets them land. */
  constructor(
    private readonly subscribe: Subscribe,
    private readonly onError: (error: unknown) => void,
    private readonly background = new BackgroundWork(),
  ) {}

  /** Whether release messages on this channel already reach this process. */
  isSubscribed(channelName: string): boolean {
    return this.#channels.get(channelName)?.subscribed === true;
  }

  /** How many callers of this process wait on the channel. */
  waiting(channelName: string): number {
    return this.#channels.get(channelName)?.waiters.length ?? 0;
  }

  /**
   * Queues a waiter on a channel, subscribing first if this process is not yet listening.
   * With a queue membership, the process's entry is renewed while anyone waits here.
   */
  join(channelName: string, queue?: QueueMembership): Waiter {
    let channel = this.#channels.get(channelName);
    if (channel === undefined) channel = this.#open(channelName);
    if (channel.linger !== undefined) {
      clearTimeout(channel.linger);
      channel.linger = undefined;
    }
    const waiter = new Waiter(this, channel);
    channel.waiters.push(waiter);
    if (queue !== undefined && channel.renewal === undefined) this.#startRenewal(channel, queue);
    return waiter;
  }

  /** Renews the queue entry now (e.g. when a caller arrived while another got the lock). */
  renewNow(channelName: string): void {
    const channel = this.#channels.get(channelName);
    if (channel?.queue !== undefined) this.#renew(channel, channel.queue);
  }

  #startRenewal(channel: Channel, queue: QueueMembership): void {
    channel.queue = queue;
    channel.renewal = setInterval(() => this.#renew(channel, queue), queue.renewEvery);
    channel.renewal.unref?.();
  }

  #renew(channel: Channel, queue: QueueMembership): void {
    const renewing = queue.renew().then(
      // The lock is free and we are at the head: a crashed head before us lost its place.
      (headOfFreeLock) => headOfFreeLock && this.deliver(channel),
      (error: unknown) => this.onError(error),
    );
    channel.renewing = renewing;
    renewing.then(() => {
      if (channel.renewing === renewing) channel.renewing = undefined;
    });
  }

  /**
   * Wake-up policy: wake the longest-waiting sleeper, or keep the wake-up for the next one.
   * A wake-up can arrive before the reply of the attempt that queued this process (they come
   * on different connections), so one that finds nobody waiting is kept, not passed on.
   */
  deliver(channel: Channel): void {
    const sleeper = channel.waiters.find((w) => w.isAsleep);
    if (sleeper === undefined) channel.pending = true;
    else sleeper.wake();
  }

  /**
   * Drops a waiter; the channel is unsubscribed once it has been idle for a while. When the
   * last waiter leaves without the lock, this process leaves the waiter queue.
   */
  leave(channel: Channel, waiter: Waiter, passOn: boolean, acquired: boolean): void {
    const index = channel.waiters.indexOf(waiter);
    if (index === -1) return;
    channel.waiters.splice(index, 1);
    if (channel.waiters.length > 0) {
      if (passOn) this.deliver(channel);
      return;
    }
    channel.pending = false;
    if (channel.renewal !== undefined) {
      clearInterval(channel.renewal);
      channel.renewal = undefined;
      // A successful acquire already took this process out of the queue. Leaving passes an
      // unused wake-up on to the next process.
      if (!acquired) this.#leaveQueue(channel);
      // A renewal in flight when the acquire took this process out re-adds its entry when
      // it lands: take it out again then.
      else if (channel.renewing !== undefined) {
        this.background.add(
          channel.renewing.then(() => {
            if (channel.waiters.length === 0) this.#leaveQueue(channel);
          }),
        );
      }
    }
    if (this.#closed || this.#channels.get(channel.name) !== channel) return;
    channel.linger = setTimeout(() => this.#drop(channel), LINGER_MS);
    channel.linger.unref?.();
  }

  /**
   * Unsubscribes everything. Queue exits still in flight are left to the background work
   * (which `Locks.close()` waits for). Waiters still queued sleep until their own timeouts.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const channels = [...this.#channels.values()];
    await Promise.all(channels.map((channel) => this.#drop(channel)));
  }

  /**
   * For a caller whose queuing attempt went out but who gave up before its reply made it a
   * waiter here (aborted or timed out meanwhile): takes the process out of the waiter queue,
   * which nothing else would do before the entry's lease ran out, unless callers here still
   * wait on the channel.
   */
  leaveUnjoined(channelName: string, queue: QueueMembership): void {
    if (this.waiting(channelName) === 0) this.#exitQueue(queue);
  }

  #leaveQueue(channel: Channel): void {
    if (channel.queue !== undefined) this.#exitQueue(channel.queue);
  }

  #exitQueue(queue: QueueMembership): void {
    this.background.add(queue.leave().catch((error: unknown) => this.onError(error)));
  }

  #open(name: string): Channel {
    const channel: Channel = {
      name,
      waiters: [],
      pending: false,
      subscribed: false,
      linger: undefined,
      queue: undefined,
      renewal: undefined,
      renewing: undefined,
      subscription: this.subscribe(name, () => this.deliver(channel)).then(
        (unsubscribe) => {
          channel.subscribed = true;
          return unsubscribe;
        },
        (error: unknown) => {
          // This channel's waiters fall back to polling; the next waiter subscribes anew.
          this.onError(error);
          if (this.#channels.get(name) === channel) this.#channels.delete(name);
          return undefined;
        },
      ),
    };
    this.#channels.set(name, channel);
    return channel;
  }

  async #drop(channel: Channel): Promise<void> {
    if (channel.linger !== undefined) clearTimeout(channel.linger);
    channel.linger = undefined;
    if (channel.renewal !== undefined) {
      // Closing while callers still wait: take this process out of the queue now rather
      // than leave its entry to lapse.
      clearInterval(channel.renewal);
      channel.renewal = undefined;
      const leaving = channel.queue?.leave() ?? Promise.resolve();
      const left = await settleWithin(leaving, REPLY_GRACE_MS);
      if (left.status === 'rejected') this.onError(left.reason);
    }
    if (this.#channels.get(channel.name) === channel) this.#channels.delete(channel.name);
    // A server that stopped answering must not keep close() from returning.
    const subscription = await settleWithin(channel.subscription, REPLY_GRACE_MS);
    const unsubscribe = subscription.status === 'fulfilled' ? subscription.value : undefined;
    if (unsubscribe === undefined) return;
    const done = await settleWithin(unsubscribe(), REPLY_GRACE_MS);
    if (done.status === 'rejected') this.onError(done.reason);
  }
}

/** One acquire call waiting for a lock's release. */
export class Waiter {
  #wake: (() => void) | undefined;
  /** It was woken and has not yet made the attempt the wake-up was for. */
  #holdsWakeUp = false;
  #left = false;

  constructor(
    private readonly hub: WakeUpHub,
    private readonly channel: Channel,
  ) {}

  /** Resolves true once release messages reach this process, false if subscribing failed. */
  get ready(): Promise<boolean> {
    return this.channel.subscription.then((unsubscribe) => unsubscribe !== undefined);
  }

  get isAsleep(): boolean {
    return this.#wake !== undefined;
  }

  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    this.#holdsWakeUp = true;
    wake?.();
  }

  /** Sleeps until a release wakes it, `ms` pass, or a signal aborts. */
  sleep(ms: number, signals: readonly StopSignal[]): Promise<'woken' | 'elapsed' | 'aborted'> {
    if (abortReason(signals) !== undefined) return Promise.resolve('aborted');
    if (this.channel.pending) {
      this.channel.pending = false;
      this.#holdsWakeUp = true;
      return Promise.resolve('woken');
    }
    return new Promise((resolve) => {
      const finish = (outcome: 'woken' | 'elapsed' | 'aborted') => {
        clearTimeout(timer);
        for (const watch of watches) watch.remove();
        this.#wake = undefined;
        resolve(outcome);
      };
      const timer = setTimeout(() => finish('elapsed'), Math.max(0, ms));
      const watches = signals.map((signal) => onStop(signal, () => finish('aborted')));
      this.#wake = () => finish('woken');
    });
  }

  /** The attempt after a wake-up has been made: the wake-up is used up. */
  attempted(): void {
    this.#holdsWakeUp = false;
  }

  /** Wakes the next waiter too: for holds that many can share at once (readers, permits). */
  passOn(): void {
    this.hub.deliver(this.channel);
  }

  /** Leaves the queue; an unused wake-up goes to the next waiter. */
  leave(acquired = false): void {
    if (this.#left) return;
    this.#left = true;
    this.hub.leave(this.channel, this, this.#holdsWakeUp, acquired);
  }
}
