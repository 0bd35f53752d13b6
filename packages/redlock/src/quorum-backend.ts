import {
  type AcquireReply,
  DeadboltError,
  type ExtendReply,
  type InspectReply,
  type LockBackend,
  type LockKeys,
  QuorumError,
  type RedisLikeClient,
} from '@deadbolt/core';
import { decideAcquire } from './acquire-decision.js';
import { decideExtend } from './extend-decision.js';
import { decideInspect } from './inspect-decision.js';
import { acquireOn, extendOn, inspectOn, raiseFenceOn, releaseOn } from './node-operations.js';
import { nodeReports } from './node-reports.js';
import { NodeScripts } from './node-scripts.js';
import { type Decide, type NodeResult, type Round, RoundClock, runRound } from './quorum-round.js';
import { quorumSubscribe } from './quorum-subscribe.js';
import { decideRelease } from './release-decision.js';

/** Settings of a {@link QuorumBackend}. */
export interface QuorumBackendOptions {
  /** Nodes that must agree; a majority or more. */
  readonly quorum: number;
  /** Per-node bound on each call, in ms. */
  readonly nodeTimeout: number;
  /** Upper bound of the random delay before a release message wakes a waiter, in ms. */
  readonly wakeUpJitter: number;
}

/**
 * Time limit of a node's first call, in ms (when `nodeTimeout` is smaller). That call
 * usually also opens the connection (connect, TLS, handshake), which can take far longer than
 * a command: without this, a process that locks right after creating its clients would see
 * an outage. Kept below core's 1 s grace for a reply, so that a `tryAcquire` on a quorum that
 * is down from the start still ends in a `QuorumError`.
 */
export const FIRST_CONTACT_TIMEOUT = 750;

/**
 * Time limit, in ms, for a node whose last call timed out and that has not answered since
 * (a _suspect_ node). A node that is back answers within this. An acquire does not wait for
 * it at all against other owners (see `decideAcquire`).
 *
 * A suspect node with {@link SUSPECT_BACKLOG} commands outstanding gets no more: rounds
 * count it as timed out at once (`'skipped'`), except for the release or extend of a lock that
 * may be held there (see `#skipsLockOf`). Its first answer clears the suspicion.
 */
export const SUSPECT_TIMEOUT = 5;

/**
 * Most commands outstanding on a suspect node before calls stop sending it theirs. A node that
 * is only slow, or just came back, answers long before that many pile up, and is asked as
 * usual; a node that is down stops costing time, and the calls made meanwhile stop piling up
 * for it: a client that queues commands while disconnected (ioredis's offline queue) would
 * otherwise hold every call made while the node is down, and send them all when it is back.
 */
export const SUSPECT_BACKLOG = 16;

/**
 * Most tokens remembered per node as won without it (see `QuorumBackend`). Beyond that, the
 * release of such a lock is sent to the node anyway: one command more, nothing lost.
 */
const WON_WITHOUT_CAP = 10_000;

/**
 * core's lock operations over `n` independent Redis nodes (the Redlock algorithm). Each call
 * goes to every node at once, each node bounded by `nodeTimeout`, and is decided as soon as
 * the quorum is won or can no longer be won. Validity, waiting, auto-extension and lost-lock
 * detection are core's (`createLocksOn`); this class only answers per call.
 *
 * Every node runs core's own scripts, so the keys, fences and release messages are the same
 * as with `createLocks` on a single server. One owner's commands reach each node in the order
 * they were sent (see `node-operations.ts`), which is what lets a release undo a grant that
 * arrives late.
 *
 * `createRedlock` is the way in: it validates the clients and options that this constructor
 * takes as they are. Exported for composing your own `Locks` with `createLocksOn`.
 */
export class QuorumBackend implements LockBackend {
  readonly subscribe: RedisLikeClient['subscribe'];
  readonly #nodes: readonly NodeScripts[];
  readonly #quorum: number;
  readonly #nodeTimeout: number;
  /** Whether each node has settled a call yet (answered, failed or timed out). */
  readonly #contacted: boolean[];
  /** Nodes whose last call timed out and that have not answered anything since. */
  readonly #suspect: boolean[];
  /**
   * Per node, the tokens of locks won in a round that skipped that node: our key is not
   * there, so their release and extend skip it too while it stays suspect. Emptied when the
   * node answers (a release sent then finds nothing, which is harmless), and capped.
   */
  readonly #wonWithout: Set<string>[];
  readonly #clock = new RoundClock();

  constructor(clients: readonly RedisLikeClient[], options: QuorumBackendOptions) {
    this.#nodes = clients.map((client) => new NodeScripts(client));
    this.#quorum = options.quorum;
    this.#nodeTimeout = options.nodeTimeout;
    this.#contacted = clients.map(() => false);
    this.#suspect = clients.map(() => false);
    this.#wonWithout = clients.map(() => new Set());
    // Waiting relies on messages only when enough nodes can send them (see quorumSubscribe);
    // otherwise core polls with jittered backoff.
    const needed = clients.length - options.quorum + 1;
    const subscribers = clients.flatMap((client) =>
      client.subscribe === undefined ? [] : [client.subscribe.bind(client)],
    );
    this.subscribe =
      subscribers.length >= needed
        ? quorumSubscribe(subscribers, {
            needed,
            // Subscribing may open the subscriber connection first, like a first contact.
            timeoutMs: Math.max(options.nodeTimeout, FIRST_CONTACT_TIMEOUT),
            jitterMs: options.wakeUpJitter,
          })
        : undefined;
  }

  /**
   * Sends our acquire to every node. Won: resolves with the largest fence of the granting
   * nodes, and raises the fence counter of every other node to it. Not won: gives back
   * whatever it may have got, on every node that did not refuse (including nodes still
   * pending or timed out: the release queues behind the acquire, so a late grant is undone),
   * then resolves contention or rejects with a `QuorumError`.
   */
  async acquire(keys: LockKeys, token: string, ttl: number): Promise<AcquireReply> {
    let attempt = this.#acquireRound(keys, token, ttl);
    let decision = await attempt.round.decision;
    if (decision.kind === 'outage' && (await this.#skippedNodesAnswer(attempt.round))) {
      this.#giveBack(attempt.round, keys, token);
      attempt = this.#acquireRound(keys, token, ttl);
      decision = await attempt.round.decision;
    }
    const { round, replies } = attempt;
    if (decision.kind === 'won') {
      const { fence } = decision;
      round.results.forEach((result, index) => {
        if (result?.status === 'skipped') {
          const wonWithout = this.#wonWithout[index]!;
          if (wonWithout.size < WON_WITHOUT_CAP) wonWithout.add(token);
        } else if (result === undefined) {
          // Not answered yet: usually the same fence, so decide once the reply is in.
          replies[index]!.then(
            (reply) => {
              if (!reply.acquired || reply.fence < fence) this.#raiseFence(index, keys, fence);
            },
            () => this.#raiseFence(index, keys, fence),
          );
        } else if (
          !(result.status === 'ok' && result.value.acquired && result.value.fence >= fence)
        ) {
          this.#raiseFence(index, keys, fence);
        }
      });
      return { acquired: true, fence };
    }
    this.#giveBack(round, keys, token);
    if (decision.kind === 'contended') return { acquired: false, pttl: decision.pttl };
    const state = await round.settled;
    throw new QuorumError(
      keys.name,
      'acquire',
      this.#quorum,
      nodeReports(state, (reply) => (reply.acquired ? 'acquired' : 'held'), round.timeouts),
    );
  }

  #acquireRound(keys: LockKeys, token: string, ttl: number) {
    const replies: Promise<AcquireReply>[] = [];
    const round = this.#round(
      (node, index) => {
        const reply = acquireOn(node, keys, token, ttl);
        replies[index] = reply;
        return reply;
      },
      (state) => decideAcquire(state, this.#quorum, this.#suspect),
      (index) => !this.#askable(index),
    );
    return { round, replies };
  }

  /** After an acquire round that was not won: releases on every node that did not refuse. */
  #giveBack(round: Round<AcquireReply, unknown>, keys: LockKeys, token: string): void {
    round.results.forEach((result, index) => {
      const refused = result?.status === 'ok' && !result.value.acquired;
      if (!refused && result?.status !== 'skipped') this.#releaseQuietly(index, keys, token);
    });
  }

  /**
   * Whether a node that `round` skipped (see {@link SUSPECT_BACKLOG}) works off its backlog
   * within `nodeTimeout`, as a node that just came back does: a round that ended in an outage
   * for want of it deserves another go. Checked every millisecond; nodes that stay down cost
   * the caller that much more before its `QuorumError`.
   */
  async #skippedNodesAnswer(round: Round<unknown, unknown>): Promise<boolean> {
    const skipped = round.results.flatMap((result, index) =>
      result?.status === 'skipped' ? [index] : [],
    );
    if (skipped.length === 0) return false;
    const deadline = performance.now() + this.#nodeTimeout;
    for (;;) {
      if (skipped.some((index) => this.#askable(index))) return true;
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * Deletes our token on every node. Resolves `true` once a quorum deleted it, `false` once
   * that is out of reach and a quorum answered; rejects with a `QuorumError` when fewer than a
   * quorum of nodes answer (see `decideRelease`).
   */
  async release(keys: LockKeys, token: string): Promise<boolean> {
    const round = this.#round(
      (node) => releaseOn(node, keys, token),
      (state) => decideRelease(state, this.#quorum),
      (index) => this.#skipsLockOf(index, token),
    );
    for (const wonWithout of this.#wonWithout) if (wonWithout.size > 0) wonWithout.delete(token);
    const decision = await round.decision;
    if (decision !== 'outage') return decision;
    const state = await round.settled;
    throw new QuorumError(
      keys.name,
      'release',
      this.#quorum,
      nodeReports(state, (released) => (released ? 'acquired' : 'held'), round.timeouts),
    );
  }

  /**
   * Resets the ttl on every node that still has our token; `'extended'` once a quorum did.
   * When the lock is definitely no longer ours (`'taken'` or `'absent'`), our token is also
   * deleted from the nodes that still had it: a lost lock's leftovers would only stand in the
   * way of the next owner until they expire. Rejects with a `QuorumError` on an outage.
   */
  async extend(keys: LockKeys, token: string, ttl: number): Promise<ExtendReply> {
    const round = this.#round(
      (node) => extendOn(node, keys, token, ttl),
      (state) => decideExtend(state, this.#quorum),
      (index) => this.#skipsLockOf(index, token),
    );
    const decision = await round.decision;
    if (decision === 'extended') return decision;
    if (decision !== 'outage') {
      round.results.forEach((result, index) => {
        const notOurs = result?.status === 'ok' && result.value !== 'extended';
        if (!notOurs && result?.status !== 'skipped') this.#releaseQuietly(index, keys, token);
      });
      return decision;
    }
    const state = await round.settled;
    throw new QuorumError(
      keys.name,
      'extend',
      this.#quorum,
      nodeReports(state, (reply) => (reply === 'extended' ? 'acquired' : 'held'), round.timeouts),
    );
  }

  /**
   * Reads the lock on every node. It counts as held when a quorum of nodes have its key (see
   * `decideInspect` for the ttl and fence reported), as free when too many nodes lack it for
   * any quorum to have it, and rejects with a `DeadboltError` of code `'REDIS_ERROR'` when too
   * many nodes failed to tell.
   */
  async inspect(keys: LockKeys): Promise<InspectReply | null> {
    const inspectRound = () =>
      this.#round(
        (node) => inspectOn(node.client, keys),
        (state) => decideInspect(state, this.#quorum),
        (index) => !this.#askable(index),
      );
    let round = inspectRound();
    let decision = await round.decision;
    if (decision === 'outage' && (await this.#skippedNodesAnswer(round))) {
      round = inspectRound();
      decision = await round.decision;
    }
    if (decision !== 'outage') return decision;
    const state = await round.settled;
    const reports = nodeReports(
      state,
      (reply) => (reply === null ? 'held' : 'acquired'),
      round.timeouts,
    );
    const down = reports.filter((r) => r.outcome === 'error' || r.outcome === 'timeout');
    throw new DeadboltError(
      `Could not inspect lock "${keys.name}": needed ${this.#quorum} of ${reports.length} nodes to agree, ` +
        `${down.length} unavailable (${down.map((r) => `#${r.node} ${r.outcome}`).join(', ')})`,
      { code: 'REDIS_ERROR', cause: new AggregateError(down.map((r) => r.error)) },
    );
  }

  /**
   * One round of `send` on every node but those `skip` names: they count as `'skipped'`.
   */
  #round<T, D>(
    send: (node: NodeScripts, index: number) => Promise<T>,
    decide: Decide<T, D>,
    skip: (index: number) => boolean,
  ): Round<T, D> {
    const firstContact = Math.max(this.#nodeTimeout, FIRST_CONTACT_TIMEOUT);
    const suspectTimeout = Math.min(this.#nodeTimeout, SUSPECT_TIMEOUT);
    const timeouts = this.#contacted.map((contacted, index) =>
      !contacted ? firstContact : this.#suspect[index] ? suspectTimeout : this.#nodeTimeout,
    );
    return runRound(
      this.#clock,
      (index) => (skip(index) ? undefined : send(this.#nodes[index]!, index)),
      timeouts,
      decide,
      this.#observe,
    );
  }

  /** Whether a node may be sent a command now: not suspect, or not backed up. */
  #askable(index: number): boolean {
    return !this.#suspect[index] || this.#nodes[index]!.outstanding < SUSPECT_BACKLOG;
  }

  /**
   * Whether a release or extend of the lock with `token` skips a node. Only when the node may
   * not be asked and the lock was won without it: a lock we may hold there (it granted us
   * before it went quiet, or our acquire is still queued for it) must be reached, behind that
   * acquire, or our key stays there until its ttl.
   */
  #skipsLockOf(index: number, token: string): boolean {
    return !this.#askable(index) && this.#wonWithout[index]!.has(token);
  }

  /** Hears every node result of every round, late answers included. */
  readonly #observe = (index: number, result: NodeResult<unknown>): void => {
    if (result.status === 'skipped') return;
    this.#contacted[index] = true;
    if (result.status === 'timeout') {
      this.#suspect[index] = true;
      this.#nodes[index]!.forget();
    }
    // Any answer, even one that lands after the round gave up on the node, clears suspicion.
    else if (result.status === 'ok') {
      this.#suspect[index] = false;
      const wonWithout = this.#wonWithout[index]!;
      // Only when there is something to clear: clearing allocates, and this runs on every answer.
      if (wonWithout.size > 0) wonWithout.clear();
    }
  };

  #releaseQuietly(index: number, keys: LockKeys, token: string): void {
    releaseOn(this.#nodes[index]!, keys, token).catch(() => {
      // Best effort: the key expires with its ttl on a node that cannot take the release.
    });
  }

  /** Best effort, and not sent to a suspect node that is backed up. */
  #raiseFence(index: number, keys: LockKeys, fence: number): void {
    if (!this.#askable(index)) return;
    raiseFenceOn(this.#nodes[index]!, keys, fence).catch(() => {
      // Best effort: a node that cannot take it is down, and counts as such for fencing.
    });
  }
}
