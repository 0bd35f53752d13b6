import type { RedisLikeClient } from '@deadbolt/core';

type Subscribe = NonNullable<RedisLikeClient['subscribe']>;
type Unsubscribe = () => Promise<void>;

/** How release messages from several nodes reach one `Locks`. */
export interface QuorumSubscribeOptions {
  /** Confirmed subscriptions needed before waiting may rely on messages. */
  readonly needed: number;
  /** Bound on subscribing (and unsubscribing) on one node, in ms. */
  readonly timeoutMs: number;
  /** Upper bound of the random delay before a wake-up is passed on, in ms. */
  readonly jitterMs: number;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Subscribes to a lock's release channel on every node that can, and merges their messages
 * into one wake-up stream.
 *
 * - **When it is ready.** It resolves once `needed` nodes confirmed. With `needed = n - quorum
 *   + 1`, those nodes share at least one node with any quorum a holder can have, and the
 *   holder's release publishes on each node of its quorum: so after the confirmation (and
 *   core's retry right after it) no release can go unnoticed. Fewer would risk a waiter that
 *   sleeps until the holder's ttl although the lock was released long ago. It rejects as soon
 *   as `needed` confirmations become impossible (errors, or no confirmation within
 *   `timeoutMs`); core then polls for this waiter.
 * - **Broadcast, with jitter.** One release publishes on every node of the holder's quorum,
 *   and every waiting process hears it. Messages that arrive before the wake-up is passed on
 *   are merged into it (no attempt has been made since, so nothing is lost), and the wake-up
 *   is passed on after a random delay of up to `jitterMs`. Waiting processes that all heard
 *   the same release therefore do not send their attempts in the same instant, where each
 *   would win some nodes, none a quorum, and all would have to give back and try again.
 * - Subscriptions confirmed late are kept as extra sources of wake-ups, and dropped with the
 *   rest. Unsubscribing waits at most `timeoutMs` per node: a stopped node must not make
 *   `Locks.close()` hang.
 */
export function quorumSubscribe(
  subscribers: readonly Subscribe[],
  { needed, timeoutMs, jitterMs }: QuorumSubscribeOptions,
): Subscribe {
  return (channel, onMessage) =>
    new Promise((resolve, reject) => {
      const unsubscribers: Unsubscribe[] = [];
      const errors: unknown[] = [];
      let confirmed = 0;
      let failed = 0;
      let decided = false;
      let closed = false;
      let scheduled: ReturnType<typeof setTimeout> | undefined;

      const wake = () => {
        if (closed || scheduled !== undefined) return;
        scheduled = setTimeout(
          () => {
            scheduled = undefined;
            if (!closed) onMessage('released');
          },
          Math.floor(Math.random() * (jitterMs + 1)),
        );
      };

      const unsubscribeAll = async (): Promise<void> => {
        closed = true;
        if (scheduled !== undefined) clearTimeout(scheduled);
        scheduled = undefined;
        const outcomes = await Promise.allSettled(
          unsubscribers.splice(0).map((unsubscribe) => within(unsubscribe(), timeoutMs)),
        );
        const failure = outcomes.find((o) => o.status === 'rejected');
        if (failure !== undefined) throw failure.reason;
      };

      const check = () => {
        if (decided) return;
        if (confirmed >= needed) {
          decided = true;
          resolve(unsubscribeAll);
        } else if (subscribers.length - failed < needed) {
          decided = true;
          unsubscribeAll().catch(() => {});
          reject(
            new AggregateError(
              errors,
              `Could not subscribe to "${channel}" on ${needed} of the Redis nodes (${confirmed} confirmed, ${failed} failed)`,
            ),
          );
        }
      };

      for (const subscribe of subscribers) {
        let counted = false;
        const count = (error?: unknown) => {
          if (counted) return;
          counted = true;
          if (error === undefined) confirmed++;
          else {
            failed++;
            errors.push(error);
          }
          check();
        };
        const timer = setTimeout(
          () => count(new Error(`no confirmation within ${timeoutMs} ms`)),
          timeoutMs,
        );
        let subscription: Promise<Unsubscribe>;
        try {
          subscription = subscribe(channel, wake);
        } catch (error) {
          subscription = Promise.reject(error);
        }
        subscription.then(
          (unsubscribe) => {
            clearTimeout(timer);
            if (closed) {
              unsubscribe().catch(() => {});
              return;
            }
            unsubscribers.push(unsubscribe);
            count();
          },
          (error: unknown) => {
            clearTimeout(timer);
            count(error);
          },
        );
      }
      check();
    });
}
