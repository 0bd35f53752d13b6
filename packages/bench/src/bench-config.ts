/** A bound on one measured phase: it ends at whichever comes first. */
export interface Budget {
  readonly acquisitions: number;
  readonly ms: number;
}

export interface BenchConfig {
  readonly quick: boolean;
  /** Lock ttl everywhere except the memory scenario, ms. */
  readonly ttl: number;
  readonly sequential: { rounds: number; cycles: number; warmup: number };
  readonly concurrent: { rounds: number; inFlight: number; cycles: number };
  readonly handoff: {
    rounds: number;
    holdMs: number;
    /** Strict mode at each of these worker counts (the growth series). */
    growth: readonly number[];
    /** Free-for-all and the retry-10-ms variants run at this worker count. */
    workers: number;
    warm: Budget;
    measure: Budget;
    /** After the stop, how long in-flight acquires may take to finish. */
    windDownMs: number;
  };
  readonly quorum: { rounds: number; cycles: number; warmup: number; nodes: readonly number[] };
  readonly faults: {
    nodes: number;
    /** With 2 of 5 stopped: cycles tried, at most this many and for at most `budgetMs`. */
    cycles: number;
    budgetMs: number;
    /** A cycle (acquire + release) that takes longer counts as failed. */
    cycleCapMs: number;
    /** With 3 of 5 stopped: how long to wait for an acquire to report failure. */
    failureCapMs: number;
  };
  readonly memory: {
    locks: number;
    ttl: number;
    holdMs: number;
    only: readonly string[] | undefined;
  };
}

export const fullConfig: BenchConfig = {
  quick: false,
  ttl: 10_000,
  sequential: { rounds: 8, cycles: 200, warmup: 100 },
  concurrent: { rounds: 7, inFlight: 200, cycles: 4_000 },
  handoff: {
    rounds: 3,
    holdMs: 1,
    growth: [2, 8, 32],
    workers: 8,
    warm: { acquisitions: 64, ms: 400 },
    measure: { acquisitions: 400, ms: 2_500 },
    windDownMs: 15_000,
  },
  quorum: { rounds: 6, cycles: 150, warmup: 50, nodes: [3, 5] },
  faults: { nodes: 5, cycles: 40, budgetMs: 5_000, cycleCapMs: 2_000, failureCapMs: 5_000 },
  memory: { locks: 10_000, ttl: 6_000, holdMs: 10_000, only: undefined },
};

export const quickConfig: BenchConfig = {
  quick: true,
  ttl: 10_000,
  sequential: { rounds: 3, cycles: 60, warmup: 30 },
  concurrent: { rounds: 2, inFlight: 200, cycles: 600 },
  handoff: {
    rounds: 1,
    holdMs: 1,
    growth: [2, 8, 32],
    workers: 8,
    warm: { acquisitions: 40, ms: 150 },
    measure: { acquisitions: 60, ms: 600 },
    windDownMs: 5_000,
  },
  quorum: { rounds: 2, cycles: 40, warmup: 20, nodes: [3, 5] },
  faults: { nodes: 5, cycles: 10, budgetMs: 1_500, cycleCapMs: 700, failureCapMs: 2_000 },
  memory: {
    locks: 2_000,
    ttl: 3_000,
    holdMs: 2_500,
    only: ['deadbolt-ioredis', 'redis-semaphore'],
  },
};
