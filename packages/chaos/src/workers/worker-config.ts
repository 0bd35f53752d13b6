import type { AcquireStyle } from '../history/history-event.js';
import type { StoreKeys } from '../store/chaos-store.js';

/** Which lock a scenario exercises. */
export type Primitive = 'mutex' | 'semaphore' | 'read-write';

/** Where its locks live: one Redis (`createLocks`) or a quorum of independent ones. */
export type Backend = 'single' | 'redlock';

/** Everything a worker process needs, passed as one JSON argument. */
export interface WorkerConfig {
  worker: string;
  seed: number;
  backend: Backend;
  /** Lock Redis ports: one for `single`, the quorum's nodes for `redlock`. */
  ports: number[];
  /** The store Redis (counter and fenced store), never faulted. */
  storePort: number;
  store: StoreKeys;
  primitive: Primitive;
  name: string;
  /** Semaphore limit. */
  limit: number;
  ttl: number;
  wait: number;
  /** Time spent inside the critical section between the read and the write, ms. */
  workMs: [number, number];
  /** Pause between two acquisitions, ms. */
  pauseMs: [number, number];
  /** Read-write lock: share of acquisitions that take the write hold. */
  writeShare: number;
  styles: AcquireStyle[];
  /** Share of `acquire`-style sections that call `lock.extend()` once. */
  extendShare: number;
  /** A counter write needs at least this much validity left, ms. */
  writeMarginMs: number;
}

/** Commands the orchestrator writes to a worker's stdin, one per line. */
export type WorkerCommand = 'park' | 'unpark' | 'go' | 'stop';
