import type { LocksOptions } from '@deadbolt/core';
import { describeValue } from './describe-value.js';

/**
 * Default {@link RedlockOptions.nodeTimeout}, in ms.
 *
 * A won call never waits for it: the quorum decides as soon as enough nodes granted. It bounds
 * only calls whose outcome depends on a node that does not answer (an outage, or contention
 * mixed with an outage). 100 ms rather than the 50 ms the Redlock paper suggests, because on a
 * small loaded machine (2 cores shared by the application, several redis-server processes and
 * their clients) the kernel can leave a runnable, healthy redis-server unscheduled for tens of
 * milliseconds; at 50 ms such a node is reported as `'timeout'` now and then. 100 ms keeps that
 * rare while a majority outage still fails with `QuorumError` in about 0.1 s, well within the
 * 1 s the docs promise.
 */
export const DEFAULT_NODE_TIMEOUT = 100;

/** Options of `createRedlock`: those of `createLocks` plus the quorum settings. */
export interface RedlockOptions extends LocksOptions {
  /**
   * How many nodes must agree for an acquire, extend or release to count: an integer from
   * `floor(n / 2) + 1` (a majority, the default) to `n`. A smaller quorum would let two owners
   * hold the lock at once, so it is rejected.
   */
  quorum?: number;
  /**
   * Per-node bound on each call, in ms (integer, at least 1). A node that has not answered by
   * then counts as `'timeout'` for that call; a call that already has its quorum never waits
   * for it. The first call to each node gets at least 750 ms, since it usually also opens the
   * connection. Default {@link DEFAULT_NODE_TIMEOUT} (100).
   */
  nodeTimeout?: number;
}

/** The quorum settings, validated. */
export interface ResolvedQuorumOptions {
  readonly quorum: number;
  readonly nodeTimeout: number;
}

/** Largest delay Node's timers accept (about 24.8 days). */
const MAX_MS = 2 ** 31 - 1;

/**
 * Validates `quorum` and `nodeTimeout` for `nodes` nodes, and rejects `fair: true`; throws a
 * `TypeError` or `RangeError` naming the option. `options` must already have passed `resolveLocksOptions` (so it is
 * `undefined` or a plain object).
 */
export function resolveQuorumOptions(
  options: RedlockOptions | undefined,
  nodes: number,
): ResolvedQuorumOptions {
  const majority = Math.floor(nodes / 2) + 1;
  const quorum = options?.quorum ?? majority;
  if (typeof quorum !== 'number') {
    throw new TypeError(`options.quorum must be a number of nodes, got ${describeValue(quorum)}`);
  }
  if (!Number.isInteger(quorum) || quorum < majority || quorum > nodes) {
    throw new RangeError(
      `options.quorum must be an integer from ${majority} to ${nodes} for ${nodes} node${
        nodes === 1 ? '' : 's'
      }, got ${describeValue(quorum)}` +
        (Number.isInteger(quorum) && quorum < majority
          ? ': a quorum that is not a majority would let two owners hold the same lock'
          : ''),
    );
  }
  if (options?.fair === true) {
    throw new RangeError(
      'options.fair cannot be true over redlock: fair mode needs a waiter queue in Redis, and ' +
        'independent nodes cannot agree on one order of waiters (see the README)',
    );
  }
  const nodeTimeout = options?.nodeTimeout ?? DEFAULT_NODE_TIMEOUT;
  if (typeof nodeTimeout !== 'number') {
    throw new TypeError(
      `options.nodeTimeout must be a number of milliseconds, got ${describeValue(nodeTimeout)}`,
    );
  }
  if (!Number.isInteger(nodeTimeout) || nodeTimeout < 1 || nodeTimeout > MAX_MS) {
    throw new RangeError(
      `options.nodeTimeout must be an integer from 1 to ${MAX_MS} (milliseconds), got ${describeValue(nodeTimeout)}`,
    );
  }
  return { quorum, nodeTimeout };
}
