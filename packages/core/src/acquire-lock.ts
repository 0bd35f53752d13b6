import { backoffDelay } from './backoff.js';
import { DeadboltError } from './errors/deadbolt-error.js';
import { LockTimeoutError } from './errors/lock-timeout-error.js';
import type { LockEventListener } from './events.js';
import type { HoldOps } from './hold-ops.js';
import { type LockContext, LockHandle, REPLY_GRACE_MS, releaseQuietly } from './lock.js';
import type { ResolvedAcquireOptions, ResolvedLocksOptions } from './options.js';
import { abortReason, settleBy, settleWithin, sleep } from './settle-within.js';
import type { StopSignal } from './stop-signal.js';
import { newToken } from './token.js';
import { validityLeft } from './validity.js';
import type { Waiter, WakeUpHub } from './wake-ups.js';

/** What one `Locks` shares between its acquire calls. */
export interface AcquireContext extends LockContext {
  readonly options: ResolvedLocksOptions;
  readonly hub: WakeUpHub | undefined;
  /** Aborted when the `Locks` closes. */
  readonly closed: StopSignal;
  readonly emit: LockEventListener;
}

/**
 * Acquires a lock, waiting for its release up to `options.wait`.
 *
 * Waiting: the first refused attempt subscribes to the lock's release channel and tries again
 * right after the subscription is confirmed, so a release that happened in between is not
 * missed. Then it sleeps until a release message or the holder's remaining ttl, whichever
 * comes first. Without pub/sub it polls with jittered backoff, each sleep capped by that ttl.
 *
 * Resolves `null` for a refused `oneAttempt` call. Rejects with `LockTimeoutError` when the
 * wait runs out or a reply does not come in time, with `signal.reason` when aborted, and
 * with a `DeadboltError` (code `'REDIS_ERROR'`, the driver's error as `cause`) on an outage:
 * an outage is not contention, so it is not retried for the whole wait.
 */
export async function acquireLock(
  ctx: AcquireContext,
  ops: HoldOps,
  options: ResolvedAcquireOptions,
  oneAttempt: boolean,
): Promise<LockHandle | null> {
  const signals: readonly StopSignal[] =
    options.signal === undefined ? [ctx.closed] : [ctx.closed, options.signal];
  const early = abortReason(signals);
  if (early !== undefined) throw early.reason;

  const { emit } = ctx;
  const { retry, driftFactor } = ctx.options;
  const token = newToken();
  const started = performance.now();
  const deadline = started + options.wait;
  let attempts = 0;
  let retries = 0;
  let contended = false;
  let waiter: Waiter | undefined;
  let subscribed = false;
  let acquired = false;
  /** An attempt that joins the queue when refused was sent. */
  let joinSent = false;
  // Release messages already reach us (a subscription lingering from earlier waits): no
  // need to try again after joining, a release in between is caught by the subscription.
  const listening = ctx.hub?.isSubscribed(ops.channel) ?? false;
  const waiting = !oneAttempt && options.wait > 0;

  try {
    for (;;) {
      attempts++;
      const sentAt = attempts === 1 ? started : performance.now();
      const waitingHere = ctx.hub?.waiting(ops.channel) ?? 0;
      const othersWaiting = waitingHere > (waiter === undefined ? 0 : 1);
      // A refused attempt joins the waiter queue, except a first one in default mode that
      // will subscribe and try again (that attempt joins): so the usual uncontended acquire
      // runs the plain script, without the queue's keys and arguments.
      const join = waiting && (attempts > 1 || listening || options.fair || ctx.hub === undefined);
      joinSent ||= join;
      const call = ops.acquire(token, options.ttl, {
        waiting: join,
        othersWaiting,
        // Without wake-ups nothing here tracks who waits: assume this process may be queued.
        queued: ctx.hub === undefined || waitingHere > 0,
        fair: options.fair,
      });
      const outcome = await settleBy(call, Math.max(sentAt, deadline) + REPLY_GRACE_MS, signals);

      if (outcome.status === 'timeout' || outcome.status === 'aborted') {
        // The request may still succeed, now or when a driver resends it: cancel it, and
        // give back whatever it took once its reply lands.
        giveUp(ctx, ops, token, options.ttl);
        ctx.background(
          call.then(
            (reply) => reply.acquired && giveUp(ctx, ops, token, options.ttl),
            () => {},
          ),
        );
        if (outcome.status === 'aborted') throw outcome.reason;
        throw new LockTimeoutError(
          ops.name,
          performance.now() - started,
          attempts,
          new DeadboltError(
            `Redis did not answer an acquire of lock "${ops.name}" within ${Math.round(
              performance.now() - sentAt,
            )} ms`,
            { code: 'REPLY_TIMEOUT' },
          ),
        );
      }

      if (outcome.status === 'rejected') {
        const reason = outcome.reason;
        if (DeadboltError.isInstance(reason)) throw reason;
        // The script may have run before the connection failed, or run later if resent.
        giveUp(ctx, ops, token, options.ttl);
        emit({ type: 'error', name: ops.name, error: reason });
        const detail = reason instanceof Error ? reason.message : String(reason);
        throw new DeadboltError(`Redis failed while acquiring lock "${ops.name}": ${detail}`, {
          code: 'REDIS_ERROR',
          cause: reason,
        });
      }

      const reply = outcome.value;
      waiter?.attempted();
      let pttl: number;
      if (reply.acquired) {
        const repliedAt = performance.now();
        if (validityLeft(options.ttl, repliedAt - sentAt, driftFactor) > 0) {
          acquired = true;
          if (ops.shared) waiter?.passOn();
          // Someone here started waiting after this attempt was sent, and the success took
          // this process out of the queue: put it back at once.
          if (!othersWaiting && (ctx.hub?.waiting(ops.channel) ?? 0) > (waiter ? 1 : 0)) {
            ctx.hub?.renewNow(ops.channel);
          }
          const lock = new LockHandle(ctx, {
            ops,
            token,
            fence: reply.fence,
            ttl: options.ttl,
            sentAt,
            repliedAt,
            autoExtend: options.autoExtend,
          });
          emit({
            type: 'acquired',
            name: ops.name,
            durationMs: repliedAt - started,
            attempts,
          });
          return lock;
        }
        // The reply took so long that no validity is left: give it back, count it as refused.
        releaseQuietly(ctx, ops, token);
        pttl = 0;
      } else {
        pttl = reply.pttl;
      }

      if (!contended) {
        contended = true;
        emit({ type: 'contended', name: ops.name, attempts });
      }
      if (oneAttempt) return null;
      if (performance.now() >= deadline) {
        throw new LockTimeoutError(ops.name, performance.now() - started, attempts);
      }

      if (ctx.hub !== undefined && waiter === undefined) {
        waiter = ctx.hub.join(ops.channel, ops.queue);
        const ready = await settleWithin(waiter.ready, deadline - performance.now(), signals);
        if (ready.status === 'aborted') throw ready.reason;
        subscribed = ready.status === 'fulfilled' && ready.value;
        // Try again right after subscribing: a release before it would not have woken us.
        if (subscribed && !listening) continue;
      }

      // pttl -1: the key has no expiry (not set by deadbolt); fall back to the backoff cap.
      const holderLeft = pttl >= 0 ? pttl + 1 : retry.maxDelay;
      const waitLeft = Math.min(
        Math.max(0, deadline - performance.now()),
        ops.maxSleep ?? Number.POSITIVE_INFINITY,
      );
      const slept =
        subscribed && waiter !== undefined
          ? await waiter.sleep(Math.min(holderLeft, waitLeft), signals)
          : await sleep(Math.min(backoffDelay(retries++, retry), holderLeft, waitLeft), signals);
      if (slept === 'aborted') throw abortReason(signals)?.reason;
    }
  } finally {
    if (waiter !== undefined) waiter.leave(acquired);
    else if (!acquired && joinSent && ops.queue !== undefined) {
      ctx.hub?.leaveUnjoined(ops.channel, ops.queue);
    }
    if (!acquired && ops.leave !== undefined) {
      ops.leave(token).catch((error: unknown) => emit({ type: 'error', name: ops.name, error }));
    }
  }
}

/** Cancels an acquire nobody waits for any more (or releases, where cancel is not offered). */
function giveUp(ctx: AcquireContext, ops: HoldOps, token: string, ttl: number): void {
  if (ops.cancel === undefined) {
    releaseQuietly(ctx, ops, token);
    return;
  }
  ctx.background(
    ops
      .cancel(token, ttl)
      .catch((error: unknown) => ctx.emit({ type: 'error', name: ops.name, error })),
  );
}
