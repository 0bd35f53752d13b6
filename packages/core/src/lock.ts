import { type Deadline, deadlines } from './deadline-clock.js';
import { DeadboltError } from './errors/deadbolt-error.js';
import { LockLostError, type LockLostReason } from './errors/lock-lost-error.js';
import type { LockEventListener } from './events.js';
import type { HoldOps } from './hold-ops.js';
import { MIN_TTL } from './options.js';
import type { Registration, Registry } from './registry.js';
import { settleBy, settleWithin } from './settle-within.js';
import { checkMs } from './validate.js';
import { driftDeduction } from './validity.js';

/**
 * A held lock (also what a semaphore permit and a read/write hold look like).
 *
 * Its local view of validity runs on a monotonic clock: once the ttl minus drift has passed
 * since the acquire request was sent, {@link Lock.isHeld} is false and {@link Lock.signal} is
 * aborted, even if Redis still has the key.
 */
export interface Lock extends AsyncDisposable {
  /** The name given to `acquire`. */
  readonly name: string;
  /** The Redis key that holds the token (before any client-side key prefix). */
  readonly key: string;
  /** This owner's 128-bit random token (hex). */
  readonly token: string;
  /**
   * Fencing token: strictly increasing for each acquisition of this name. Pass it to the
   * store you write to and have it reject writes with a fence lower than the highest it saw.
   */
  readonly fence: number;
  /** When the lock was acquired, in epoch ms (from the monotonic clock). */
  readonly acquiredAt: number;
  /** When its validity runs out, in epoch ms (from the monotonic clock). */
  readonly expiresAt: number;
  /** Not released, not lost, and validity left. */
  readonly isHeld: boolean;
  /** Milliseconds of guaranteed validity left; 0 once released or lost. */
  remaining(): number;
  /** Aborted with a {@link LockLostError} when the lock is lost or its validity runs out. */
  readonly signal: AbortSignal;
  /**
   * Resets the lock's time-to-live to `ttl` ms (default: the ttl it was acquired with).
   * Rejects with `LockLostError` when we are no longer the owner, and with a `DeadboltError`
   * (code `'REDIS_ERROR'`) when Redis could not be reached; the lock is then still held
   * until its validity runs out.
   */
  extend(ttl?: number): Promise<void>;
  /**
   * Deletes the lock if it still holds our token and wakes a waiter. Resolves `true` if it
   * still held the lock, `false` if it had already expired, been taken over or been
   * released. Never deletes another owner's key.
   */
  release(): Promise<boolean>;
}

/** Extra time given to a reply that is in flight when a time limit passes. */
export const REPLY_GRACE_MS = 1_000;

/** What a lock handle needs from the `Locks` that created it. */
export interface LockContext {
  readonly driftFactor: number;
  readonly emit: LockEventListener;
  /** The handles still held: each one is in it from its creation until released or lost. */
  readonly held: Registry<LockHandle>;
  /**
   * Registers cleanup that runs in the background (giving back a grant that landed after its
   * caller left), so that `close()` lets it reach Redis before the user closes the client.
   */
  readonly background: (work: Promise<unknown>) => void;
}

export interface LockGrant {
  readonly ops: HoldOps;
  readonly token: string;
  readonly fence: number;
  readonly ttl: number;
  /** `performance.now()` when the acquire request was sent. */
  readonly sentAt: number;
  /** `performance.now()` when its reply came: the lock is held from then on. */
  readonly repliedAt: number;
  readonly autoExtend: boolean;
}

const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for('nodejs.asyncDispose') as typeof Symbol.asyncDispose);

/** Releases a lock in the background, e.g. when a reply lands after its caller gave up. */
export function releaseQuietly(ctx: LockContext, ops: HoldOps, token: string): void {
  ctx.background(
    ops.release(token).catch((error: unknown) => {
      ctx.emit({ type: 'error', name: ops.name, error });
    }),
  );
}

export class LockHandle implements Lock {
  readonly name: string;
  readonly key: string;
  readonly token: string;
  readonly fence: number;
  readonly acquiredAt: number;
  readonly #ctx: LockContext;
  readonly #ops: HoldOps;
  /** Made when `signal` is first read: most locks are released without anyone reading it. */
  #controller: AbortController | undefined;
  /** Why the lock was lost, once it was. */
  #lostWith: LockLostError | undefined;
  readonly #heldSince: number;
  #ttl: number;
  /** Monotonic time at which validity runs out. */
  #expiry: number;
  #state: 'held' | 'released' | 'lost' = 'held';
  #expiryDeadline: Deadline | undefined;
  #extendTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #heldEntry: Registration;
  #autoExtend: boolean;
  /** Last error of an extension attempt, cleared by a success. */
  #extendError: unknown;
  /** Extension calls in flight. */
  #extending = 0;

  constructor(ctx: LockContext, grant: LockGrant) {
    this.#ctx = ctx;
    this.#ops = grant.ops;
    this.name = grant.ops.name;
    this.key = grant.ops.key;
    this.token = grant.token;
    this.fence = grant.fence;
    this.#heldSince = grant.repliedAt;
    this.acquiredAt = Math.round(performance.timeOrigin + this.#heldSince);
    this.#ttl = grant.ttl;
    this.#expiry = grant.sentAt + grant.ttl - driftDeduction(grant.ttl, ctx.driftFactor);
    this.#autoExtend = grant.autoExtend;
    this.#heldEntry = ctx.held.add(this);
    this.#armExpiry();
    this.#scheduleExtension(this.#extendInterval());
  }

  get expiresAt(): number {
    return Math.round(performance.timeOrigin + this.#expiry);
  }

  get isHeld(): boolean {
    this.#checkExpiry();
    return this.#state === 'held';
  }

  get signal(): AbortSignal {
    // The expiry timer may not have run yet (after a stall, a reply's callback can come
    // first): never hand out a signal that is not aborted for a lock past its validity.
    this.#checkExpiry();
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#lostWith !== undefined) this.#controller.abort(this.#lostWith);
    }
    return this.#controller.signal;
  }

  remaining(): number {
    this.#checkExpiry();
    if (this.#state !== 'held') return 0;
    return Math.max(0, Math.floor(this.#expiry - performance.now()));
  }

  async extend(ttl?: number): Promise<void> {
    const next = ttl === undefined ? this.#ttl : checkMs(ttl, 'ttl', MIN_TTL);
    await this.#extendOnce(next);
  }

  async release(): Promise<boolean> {
    if (this.#state === 'released') return false;
    const now = performance.now();
    if (this.#state === 'held' && now >= this.#expiry) this.#expire();
    // Wait for the reply while the key can still be ours, and a grace beyond.
    const replyBy = (this.#state === 'held' ? Math.max(now, this.#expiry) : now) + REPLY_GRACE_MS;
    if (this.#state === 'held') this.#settle('released');
    this.#state = 'released';
    const outcome = await settleBy(this.#ops.release(this.token), replyBy);
    switch (outcome.status) {
      case 'fulfilled':
        this.#ctx.emit({
          type: 'released',
          name: this.name,
          durationMs: performance.now() - this.#heldSince,
        });
        return outcome.value;
      case 'rejected':
        this.#ctx.emit({ type: 'error', name: this.name, error: outcome.reason });
        throw new DeadboltError(
          `Redis failed while releasing lock "${this.name}"; it expires by itself at the latest when its ttl ends`,
          { code: 'REDIS_ERROR', cause: outcome.reason },
        );
      default:
        // No answer within the lock's validity: by now the key has expired on the server.
        return false;
    }
  }

  [asyncDispose](): Promise<void> {
    return this.release().then(() => undefined);
  }

  /** Stops auto-extension (when the `Locks` closes); the lock then runs out by itself. */
  detach(): void {
    this.#autoExtend = false;
    if (this.#extendTimer !== undefined) clearTimeout(this.#extendTimer);
    this.#extendTimer = undefined;
  }

  /** Marks the lock lost and aborts its signal; no-op unless still held. */
  markLost(reason: LockLostReason, cause?: unknown): void {
    if (this.#state !== 'held') return;
    const error = new LockLostError(this.name, reason, cause);
    this.#settle('lost');
    this.#lostWith = error;
    this.#controller?.abort(error);
    this.#ctx.emit({
      type: 'lost',
      name: this.name,
      durationMs: performance.now() - this.#heldSince,
      error,
    });
  }

  #settle(state: 'released' | 'lost'): void {
    this.#state = state;
    this.#expiryDeadline?.cancel();
    this.#expiryDeadline = undefined;
    this.detach();
    this.#heldEntry.remove();
  }

  /** Read through a method: TypeScript would keep the narrowing from before an await. */
  #isLost(): boolean {
    return this.#state === 'lost';
  }

  #checkExpiry(): void {
    if (this.#state === 'held' && performance.now() >= this.#expiry) this.#expire();
  }

  #armExpiry(): void {
    this.#expiryDeadline?.cancel();
    this.#expiryDeadline = deadlines.watch(this.#expiry, () => this.#expire());
  }

  #expire(): void {
    this.#expiryDeadline = undefined;
    if (this.#state !== 'held') return;
    if (performance.now() < this.#expiry) {
      this.#armExpiry();
      return;
    }
    if (this.#extendError !== undefined) this.markLost('connection', this.#extendError);
    else if (this.#extending > 0) {
      this.markLost(
        'connection',
        new DeadboltError(`Redis did not answer the extension of lock "${this.name}" in time`, {
          code: 'REPLY_TIMEOUT',
        }),
      );
    } else this.markLost('expired');
  }

  #extendInterval(): number {
    return Math.max(1, Math.floor(this.#ttl / 3));
  }

  #scheduleExtension(delay: number): void {
    if (!this.#autoExtend || this.#state !== 'held') return;
    this.#extendTimer = setTimeout(() => {
      this.#extendTimer = undefined;
      this.#extendOnce(this.#ttl).then(
        () => this.#scheduleExtension(this.#extendInterval()),
        () => {
          // Not the owner any more: markLost already ran. Errors: try again soon, until
          // the validity runs out and the expiry timer reports the lock lost.
          const retry = Math.max(10, Math.min(1_000, Math.floor(this.#ttl / 10)));
          this.#scheduleExtension(Math.min(retry, this.#extendInterval()));
        },
      );
    }, delay);
    this.#extendTimer.unref?.();
  }

  async #extendOnce(ttl: number): Promise<void> {
    if (this.#state === 'released') {
      throw new DeadboltError(`Lock "${this.name}" was already released`, {
        code: 'LOCK_RELEASED',
      });
    }
    if (this.#state === 'lost') throw this.#lostWith;
    if (!this.isHeld) {
      this.#expire();
      throw this.#lostWith;
    }
    const sentAt = performance.now();
    this.#extending++;
    const outcome = await settleWithin(
      this.#ops.extend(this.token, ttl),
      this.remaining() + REPLY_GRACE_MS,
    );
    this.#extending--;
    if (outcome.status === 'fulfilled') {
      if (outcome.value === 'extended') {
        if (this.#state === 'held' && performance.now() < this.#expiry) {
          this.#ttl = ttl;
          this.#extendError = undefined;
          this.#expiry = sentAt + ttl - driftDeduction(ttl, this.#ctx.driftFactor);
          this.#armExpiry();
          this.#ctx.emit({
            type: 'extended',
            name: this.name,
            durationMs: performance.now() - sentAt,
          });
          return;
        }
        // The extension landed after our validity ran out: we already told the user the
        // lock is lost, so give the key back rather than hold it unseen.
        if (this.#state === 'held') this.#expire();
        if (this.#isLost()) {
          releaseQuietly(this.#ctx, this.#ops, this.token);
          throw this.#lostWith;
        }
        throw new DeadboltError(`Lock "${this.name}" was already released`, {
          code: 'LOCK_RELEASED',
        });
      }
      this.markLost(
        outcome.value === 'taken'
          ? 'taken'
          : performance.now() < this.#expiry
            ? 'released-elsewhere'
            : 'expired',
      );
      throw this.#lostWith;
    }
    const cause =
      outcome.status === 'timeout'
        ? new DeadboltError(`Redis did not answer the extension of lock "${this.name}" in time`, {
            code: 'REPLY_TIMEOUT',
          })
        : outcome.status === 'rejected'
          ? outcome.reason
          : undefined;
    this.#extendError = cause;
    this.#ctx.emit({ type: 'error', name: this.name, error: cause });
    if (this.#isLost()) throw this.#lostWith;
    throw new DeadboltError(`Redis failed while extending lock "${this.name}"`, {
      code: 'REDIS_ERROR',
      cause,
    });
  }
}
