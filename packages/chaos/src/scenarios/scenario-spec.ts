import type { FaultLane } from '../faults/fault-schedule.js';
import type { AcquireStyle } from '../history/history-event.js';
import { mixSeed } from '../seeded-random.js';
import type { Backend, Primitive } from '../workers/worker-config.js';

/** One chaos scenario: a topology, a workload, and the faults injected meanwhile. */
export interface ScenarioSpec {
  id: string;
  title: string;
  /**
   * Whether the design promises exclusion under this schedule. The one scenario that is not
   * promised (a redlock majority restarted empty without the delay) is reported apart, as the
   * known limit: its overlaps are expected, not a failure.
   */
  promised: boolean;
  backend: Backend;
  primitive: Primitive;
  nodes: number;
  limit: number;
  workers: number;
  ttl: number;
  wait: number;
  workMs: [number, number];
  pauseMs: [number, number];
  writeShare: number;
  styles: AcquireStyle[];
  extendShare: number;
  /** How long the workload runs, ms. */
  durationMs: number;
  seed: number;
  /** Fault lanes, each injected one fault after another, the lanes side by side. */
  lanes: FaultLane[];
  /** Known limit only: rounds of "park a holder, restart a majority empty, let others in". */
  majorityRounds?: number;
}

const HOLDER_AND_CONNECTION_FAULTS = [
  'holder-sigkill',
  'holder-sigstop',
  'client-kill-normal',
  'client-kill-pubsub',
  'script-flush',
] as const;

const ALL_STYLES: AcquireStyle[] = ['acquire', 'tryAcquire', 'withLock'];

/**
 * The scenarios of a run. `scale` stretches the workload (1 in CI; `--long` uses more).
 * Seeds derive from `baseSeed` and the scenario id, so each scenario's schedule is fixed.
 */
export function scenarioSpecs(baseSeed: number, scale: number): ScenarioSpec[] {
  const ms = (n: number) => Math.round(n * scale);
  const ttl = 1_000;
  const common = {
    ttl,
    wait: 4_000,
    workMs: [1, 8] as [number, number],
    pauseMs: [0, 4] as [number, number],
    writeShare: 0,
    styles: ALL_STYLES,
    extendShare: 0.15,
    limit: 1,
  };
  const specs: Omit<ScenarioSpec, 'seed'>[] = [
    {
      ...common,
      id: 'single-mutex',
      title: 'mutex, one Redis',
      promised: true,
      backend: 'single',
      primitive: 'mutex',
      nodes: 1,
      workers: 4,
      durationMs: ms(20_000),
      lanes: [{ kinds: HOLDER_AND_CONNECTION_FAULTS, gapMs: [500, 1_300] }],
    },
    {
      ...common,
      id: 'single-semaphore',
      title: 'semaphore (limit 2), one Redis',
      promised: true,
      backend: 'single',
      primitive: 'semaphore',
      nodes: 1,
      limit: 2,
      workers: 4,
      durationMs: ms(11_000),
      lanes: [{ kinds: HOLDER_AND_CONNECTION_FAULTS, gapMs: [500, 1_300] }],
    },
    {
      ...common,
      id: 'single-read-write',
      title: 'read-write lock, one Redis',
      promised: true,
      backend: 'single',
      primitive: 'read-write',
      nodes: 1,
      workers: 4,
      writeShare: 0.35,
      durationMs: ms(12_000),
      lanes: [{ kinds: HOLDER_AND_CONNECTION_FAULTS, gapMs: [500, 1_300] }],
    },
    {
      ...common,
      id: 'redlock-mutex',
      title: 'mutex, redlock over 5 nodes (minority faults)',
      promised: true,
      backend: 'redlock',
      primitive: 'mutex',
      nodes: 5,
      workers: 4,
      durationMs: ms(26_000),
      lanes: [
        { kinds: HOLDER_AND_CONNECTION_FAULTS, gapMs: [700, 1_500] },
        {
          kinds: ['node-sigkill', 'node-sigstop', 'node-restart'],
          gapMs: [300, 900],
          pauseMs: [200, 1_500],
          // "Delayed past the max ttl": every lock the node knew has expired when it is back.
          downMs: ttl + 600,
        },
      ],
    },
    {
      ...common,
      id: 'redlock-majority-restart',
      title: 'redlock: majority (3 of 5) restarted empty without the delay',
      promised: false,
      backend: 'redlock',
      primitive: 'mutex',
      nodes: 5,
      workers: 3,
      ttl: 4_000,
      styles: ['tryAcquire'],
      extendShare: 0,
      pauseMs: [2, 10],
      durationMs: 0,
      lanes: [],
      majorityRounds: 3,
    },
  ];
  return specs.map((spec) => ({ ...spec, seed: mixSeed(baseSeed, spec.id) }));
}
