import { DeadboltError, type NodeOutcome, type NodeReport } from '@deadbolt/core';
import type { RoundState } from './quorum-round.js';

/**
 * Turns a settled round into the per-node reports of a `QuorumError`. `outcomeOf` maps a
 * node's answer to `'acquired'` (the node holds our token) or `'held'` (it answered, but does
 * not hold our token); errors and timeouts keep their own outcome. A timeout, and a node not
 * asked because it is suspected down, carries a `DeadboltError` of code `'REPLY_TIMEOUT'` as
 * its error.
 */
export function nodeReports<T>(
  state: RoundState<T>,
  outcomeOf: (value: T) => Extract<NodeOutcome, 'acquired' | 'held'>,
  timeouts: readonly number[],
): NodeReport[] {
  return state.results.map((result, node): NodeReport => {
    if (result === undefined || result.status === 'timeout') {
      return {
        node,
        outcome: 'timeout',
        error: new DeadboltError(`Redis node #${node} did not answer within ${timeouts[node]} ms`, {
          code: 'REPLY_TIMEOUT',
        }),
      };
    }
    if (result.status === 'skipped') {
      return {
        node,
        outcome: 'timeout',
        error: new DeadboltError(
          `Redis node #${node} was not asked: it has not answered since a call to it timed out, and commands to it are piling up`,
          { code: 'REPLY_TIMEOUT' },
        ),
      };
    }
    if (result.status === 'error') return { node, outcome: 'error', error: result.error };
    return { node, outcome: outcomeOf(result.value) };
  });
}
