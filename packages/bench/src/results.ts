import type { BenchConfig } from './bench-config.js';
import type { Machine } from './measure/machine.js';

/** Named figures, e.g. `{ p50: 0.31, p99: 0.9 }`; NaN where there is nothing to show. */
export type Figures = Record<string, number>;

/** One implementation in one setting: figures over the whole run and round by round. */
export interface Series {
  readonly id: string;
  /** Over all rounds together (samples pooled). */
  readonly pooled: Figures;
  /** Round by round, index = round, so ratios pair each figure with the floor's of its round. */
  readonly rounds: Figures[];
  /** Commands per acquisition by command name, over all rounds. */
  readonly commands?: Record<string, number>;
  /** Error messages seen (first few), e.g. a library giving up. */
  readonly errors: string[];
}

export interface HandoffCell {
  readonly mode: 'strict' | 'free';
  readonly workers: number;
  readonly series: Series[];
}

export interface FaultResult {
  readonly id: string;
  readonly minority: {
    readonly attempted: number;
    readonly succeeded: number;
    readonly p50: number;
    readonly p99: number;
    readonly errors: string[];
  };
  readonly majority: {
    /** ms until the acquire reported failure; NaN if it did not within the cap. */
    readonly ms: number;
    readonly capMs: number;
    readonly outcome: 'failed' | 'no answer' | 'acquired';
    readonly error: string;
    /** Nodes a per-node error report (deadbolt's `QuorumError.nodes`) marks as timed out. */
    readonly timedOutNodes?: number[];
    readonly errorName: string;
  };
}

export interface MemoryResult {
  readonly id: string;
  readonly locks: number;
  readonly held: number;
  readonly heapPerLock: number;
  readonly handlesPerLock: number;
  /** Heap while holding: last sample minus the one after the first extension round (bytes). */
  readonly growthBytes: number;
  readonly heapSamples: number[];
  /** Heap and handles still above the baseline after every lock was released. */
  readonly leftBytes: number;
  readonly leftHandles: number;
  /** Heap after a second hold-and-release pass minus after the first: what piles up. */
  readonly passGrowthBytes: number;
  readonly extensions: number | undefined;
  readonly lost: number | undefined;
  readonly acquireMs: number;
  /** The longest forced GC the readings took: a stall the extensions had to live through. */
  readonly gcMaxMs: number;
  readonly error?: string;
}

export interface ImplementationInfo {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly package: string;
  readonly client: string;
  readonly tuning: string;
  readonly waiting: string;
  readonly unavailable?: string;
}

export interface BenchResults {
  readonly config: BenchConfig;
  readonly machine: Machine;
  readonly command: string;
  readonly durationMs: number;
  readonly implementations: ImplementationInfo[];
  readonly sequential: Series[];
  readonly concurrent: Series[];
  readonly handoff: HandoffCell[];
  readonly quorum: { nodes: number; series: Series[] }[];
  readonly faults: FaultResult[];
  readonly memory: MemoryResult[];
}
