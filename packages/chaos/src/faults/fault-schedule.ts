import type { SeededRandom } from '../seeded-random.js';

/** Every fault the chaos suite injects. */
export type FaultKind =
  /** SIGKILL of a worker parked inside its critical section; it never comes back. */
  | 'holder-sigkill'
  /** SIGSTOP of a worker inside its critical section, SIGCONT once its ttl has passed. */
  | 'holder-sigstop'
  /** `CLIENT KILL TYPE normal`: every command connection drops. */
  | 'client-kill-normal'
  /** `CLIENT KILL TYPE pubsub`: every subscriber connection drops. */
  | 'client-kill-pubsub'
  /** `SCRIPT FLUSH`: the next EVALSHA gets NOSCRIPT. */
  | 'script-flush'
  /** Redlock node: SIGKILL, restarted empty once the longest ttl has passed. */
  | 'node-sigkill'
  /** Redlock node: SIGSTOP for a while, then SIGCONT (it keeps its data). */
  | 'node-sigstop'
  /** Redlock node: shut down (SIGTERM), restarted empty once the longest ttl has passed. */
  | 'node-restart'
  /** Known limit: a majority of redlock nodes killed and restarted empty at once, no delay. */
  | 'majority-empty-restart';

export const FAULT_LABELS: Record<FaultKind, string> = {
  'holder-sigkill': 'holder SIGKILL',
  'holder-sigstop': 'holder SIGSTOP past ttl',
  'client-kill-normal': 'CLIENT KILL (commands)',
  'client-kill-pubsub': 'CLIENT KILL (subscribers)',
  'script-flush': 'SCRIPT FLUSH',
  'node-sigkill': 'node SIGKILL + delayed restart',
  'node-sigstop': 'node SIGSTOP',
  'node-restart': 'node SIGTERM + delayed restart',
  'majority-empty-restart': 'majority empty restart, no delay',
};

/** One planned fault: when (ms after the load started), what, and on which target index. */
export interface PlannedFault {
  at: number;
  kind: FaultKind;
  /** Index into the live workers or the nodes (taken modulo their number). */
  target: number;
  /** How long a node stays paused or down, ms (node faults only). */
  holdMs: number;
}

/** A sequence of faults injected one after another. */
export interface FaultLane {
  kinds: readonly FaultKind[];
  /** Gap between two faults, ms. */
  gapMs: [number, number];
  /** Node faults: how long a node stays paused, ms. */
  pauseMs?: [number, number];
  /** Node faults: how long a killed or shut-down node stays down, ms. */
  downMs?: number;
}

/**
 * Plans one lane's faults between `startMs` and `endMs`. Each kind comes once first, in a
 * seeded order, then kinds are drawn at random. The plan depends only on the seed.
 */
export function planFaults(
  random: SeededRandom,
  lane: FaultLane,
  startMs: number,
  endMs: number,
): PlannedFault[] {
  const firsts = [...lane.kinds];
  for (let i = firsts.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [firsts[i], firsts[j]] = [firsts[j]!, firsts[i]!];
  }
  const plan: PlannedFault[] = [];
  for (let at = startMs; at < endMs; at += random.int(...lane.gapMs)) {
    const kind = firsts.shift() ?? random.pick(lane.kinds);
    const holdMs =
      kind === 'node-sigstop' && lane.pauseMs !== undefined
        ? random.int(...lane.pauseMs)
        : (lane.downMs ?? 0);
    plan.push({ at, kind, target: random.int(0, 1_000), holdMs });
  }
  return plan;
}
