import { DeadboltError, hasCode } from './deadbolt-error.js';

/**
 * What one node did in a quorum call: `'acquired'` (it granted us the lock), `'held'` (another
 * owner holds it there: contention), `'error'` (it answered with an error or its connection
 * failed) or `'timeout'` (it did not answer within `nodeTimeout`).
 */
export type NodeOutcome = 'acquired' | 'held' | 'error' | 'timeout';

/** One node's part in a failed quorum call. */
export interface NodeReport {
  /** Index of the node in the array given to `createRedlock`. */
  readonly node: number;
  readonly outcome: NodeOutcome;
  /** The driver's error, for `'error'` and `'timeout'`. */
  readonly error?: unknown;
}

/**
 * A quorum call failed because too many nodes were down or unreachable. Contention alone
 * never raises this (it is waited out like on one node); `nodes` tells which nodes failed how.
 */
export class QuorumError extends DeadboltError {
  readonly lockName: string;
  /** The operation that failed. */
  readonly operation: 'acquire' | 'extend' | 'release';
  readonly quorum: number;
  readonly nodes: readonly NodeReport[];

  constructor(
    lockName: string,
    operation: 'acquire' | 'extend' | 'release',
    quorum: number,
    nodes: readonly NodeReport[],
  ) {
    const count = (outcome: NodeOutcome) => nodes.filter((n) => n.outcome === outcome).length;
    const down = nodes
      .filter((n) => n.outcome === 'error' || n.outcome === 'timeout')
      .map((n) => `#${n.node} ${n.outcome}`);
    super(
      `Quorum lost for ${operation} of lock "${lockName}": needed ${quorum} of ${nodes.length} nodes, ` +
        `${count('acquired')} acquired, ${count('held')} held by another owner, ` +
        `${down.length} unavailable (${down.join(', ') || 'none'})`,
      { code: 'QUORUM', cause: nodes.find((n) => n.error !== undefined)?.error },
    );
    this.name = 'QuorumError';
    this.lockName = lockName;
    this.operation = operation;
    this.quorum = quorum;
    this.nodes = nodes;
  }

  static override isInstance(error: unknown): error is QuorumError {
    return hasCode(error, 'QUORUM');
  }
}
