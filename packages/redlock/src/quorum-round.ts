/** How one node's part of a round ended. */
export type NodeResult<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'timeout' }
  /**
   * Not sent: the node is suspected down and backed up (see `SUSPECT_BACKLOG` in
   * `quorum-backend.ts`). Counts as an outage of that node, like a timeout, but nothing reached it.
   */
  | { readonly status: 'skipped' };

/** What is known about a round so far: one entry per node, `undefined` while it is pending. */
export interface RoundState<T> {
  readonly results: readonly (NodeResult<T> | undefined)[];
  /** Nodes that have neither answered nor timed out yet. */
  readonly pending: number;
}

/** Decides a round from what is known so far; `undefined` means "not yet". */
export type Decide<T, D> = (state: RoundState<T>) => D | undefined;

/** One command sent to every node at once. */
export interface Round<T, D> {
  /**
   * The first decision `decide` returns: as soon as the quorum is won or cannot be won any
   * more, not when the slowest node answers. Rejects only if `decide` gives no decision once
   * every node has settled (a bug).
   */
  readonly decision: Promise<D>;
  /** Resolves once every node has answered or timed out. Never rejects. */
  readonly settled: Promise<RoundState<T>>;
  /** Each node's time limit in this round, in ms. */
  readonly timeouts: readonly number[];
  /** What each node has answered so far (a live view; `undefined` while pending). */
  readonly results: readonly (NodeResult<T> | undefined)[];
}

/**
 * Sends a command to all nodes in parallel and decides as soon as `decide` can.
 *
 * `send` returns `undefined` for a node that is not to be asked this time: its result is
 * `'skipped'` at once.
 * Node `i` gets `timeouts[i]` ms from the moment the round is sent. When its time is up and it
 * has not answered, it is marked `'timeout'` one `setImmediate` later: if this process was
 * blocked (a long GC pause, a busy event loop), the replies that arrived in the meantime are
 * read in the I/O phase that comes first, instead of the timer declaring healthy nodes dead.
 * A node's command keeps running after its timeout (a Redis command cannot be recalled);
 * callers that care about a late reply follow up on that node themselves.
 *
 * `observe` hears every result before `decide` runs: each answer (also one that arrives after
 * the node timed out, which the round itself ignores) and each timeout.
 */
export function runRound<T, D>(
  clock: RoundClock,
  send: (node: number) => Promise<T> | undefined,
  timeouts: readonly number[],
  decide: Decide<T, D>,
  observe?: (node: number, result: NodeResult<T>) => void,
): Round<T, D> {
  return new QuorumRound(clock, send, timeouts, decide, observe);
}

/** What the {@link RoundClock} needs from a round in flight. */
interface TimedRound {
  readonly pending: number;
  /** Marks the nodes whose time is up at `now` as timeouts. */
  expire(now: number): void;
  /** When the next pending node's time is up (Infinity when none is pending). */
  nextDeadline(): number;
}

/**
 * Every lock operation runs one round per call, so this is the hot path: a class (methods
 * shared, not closures per call) and one timer for all rounds of the process instead of a
 * timer per round.
 */
class QuorumRound<T, D> implements Round<T, D>, RoundState<T>, TimedRound {
  readonly decision: Promise<D>;
  readonly results: (NodeResult<T> | undefined)[];
  pending: number;
  readonly sentAt = performance.now();
  #decided = false;
  #resolveDecision!: (decision: D) => void;
  #rejectDecision!: (error: Error) => void;
  #settled: Promise<RoundState<T>> | undefined;
  #resolveSettled: ((state: RoundState<T>) => void) | undefined;

  constructor(
    clock: RoundClock,
    send: (node: number) => Promise<T> | undefined,
    readonly timeouts: readonly number[],
    private readonly decide: Decide<T, D>,
    private readonly observe: ((node: number, result: NodeResult<T>) => void) | undefined,
  ) {
    const count = timeouts.length;
    this.results = new Array<NodeResult<T> | undefined>(count).fill(undefined);
    this.pending = count;
    this.decision = new Promise<D>((resolve, reject) => {
      this.#resolveDecision = resolve;
      this.#rejectDecision = reject;
    });
    clock.add(this);
    for (let node = 0; node < count; node++) {
      let reply: Promise<T> | undefined;
      try {
        reply = send(node);
      } catch (error) {
        reply = Promise.reject(error);
      }
      if (reply === undefined) {
        this.settle(node, { status: 'skipped' });
        continue;
      }
      reply.then(
        (value) => this.settle(node, { status: 'ok', value }),
        (error: unknown) => this.settle(node, { status: 'error', error }),
      );
    }
  }

  get settled(): Promise<RoundState<T>> {
    if (this.#settled === undefined) {
      this.#settled =
        this.pending === 0
          ? Promise.resolve(this)
          : new Promise((resolve) => {
              this.#resolveSettled = resolve;
            });
    }
    return this.#settled;
  }

  settle(node: number, result: NodeResult<T>): void {
    this.observe?.(node, result);
    // An answer after the node's timeout: the round has moved on without it.
    if (this.results[node] !== undefined) return;
    this.results[node] = result;
    this.pending--;
    if (!this.#decided) {
      const outcome = this.decide(this);
      if (outcome !== undefined) {
        this.#decided = true;
        this.#resolveDecision(outcome);
      } else if (this.pending === 0) {
        this.#decided = true;
        this.#rejectDecision(
          new Error('deadbolt redlock: a quorum round ended without a decision'),
        );
      }
    }
    if (this.pending === 0) this.#resolveSettled?.(this);
  }

  expire(now: number): void {
    const elapsed = now - this.sentAt;
    for (let node = 0; node < this.results.length; node++) {
      // 1 ms of slack: timers may fire a fraction of a millisecond early.
      if (this.results[node] === undefined && elapsed + 1 >= this.timeouts[node]!) {
        this.settle(node, { status: 'timeout' });
      }
    }
  }

  nextDeadline(): number {
    let next = Number.POSITIVE_INFINITY;
    for (let node = 0; node < this.results.length; node++) {
      if (this.results[node] === undefined) {
        next = Math.min(next, this.sentAt + this.timeouts[node]!);
      }
    }
    return next;
  }
}

/** Fewest rounds kept in a {@link RoundClock} before completed ones are dropped. */
const SWEEP_AT_LEAST = 64;

/**
 * The one timer behind the node timeouts of every round in flight (one clock per
 * `QuorumBackend`). It is armed for the earliest deadline and is not cleared when a round
 * completes early: most rounds complete long before their deadline, and a timer set and
 * cleared per round would cost more than the round's own bookkeeping. For the same reason a
 * round is not taken out of the list when it completes (deleting from a `Set` on every round
 * was the largest single cost of the hot path): completed rounds are dropped in one sweep
 * when the timer fires, or when the list has doubled since the last sweep. When the timer
 * fires with nothing left to time out, it stops. It is unref'd, like core's timers.
 */
export class RoundClock {
  #rounds: TimedRound[] = [];
  #sweepAt = SWEEP_AT_LEAST;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  add(round: TimedRound): void {
    if (this.#rounds.length >= this.#sweepAt) this.#sweep();
    this.#rounds.push(round);
    const deadline = round.nextDeadline();
    if (deadline < this.#armedFor) this.#arm(deadline);
  }

  #sweep(): void {
    this.#rounds = this.#rounds.filter((round) => round.pending > 0);
    this.#sweepAt = Math.max(SWEEP_AT_LEAST, 2 * this.#rounds.length);
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()));
    // Never keeps the process alive by itself: a round in flight waits on sockets, which do.
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    // Read the replies that are already in (I/O comes before setImmediate) before timing out.
    setImmediate(() => {
      const now = performance.now();
      for (const round of this.#rounds) if (round.pending > 0) round.expire(now);
      this.#sweep();
      let next = Number.POSITIVE_INFINITY;
      for (const round of this.#rounds) next = Math.min(next, round.nextDeadline());
      if (next < this.#armedFor) this.#arm(next);
    });
  }
}
