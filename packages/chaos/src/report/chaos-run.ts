import type { FuzzReport } from '../fuzz/run-fuzz.js';
import type { LeakReport } from '../leaks/run-leak-check.js';
import type { ScenarioResult } from '../scenarios/run-scenario.js';

/** Everything one `pnpm test:chaos` found. */
export interface ChaosRun {
  startedAt: Date;
  elapsedMs: number;
  baseSeed: number;
  scale: number;
  environment: { node: string; redis: string; cpus: number };
  checkerSelfTest: string[];
  scenarios: ScenarioResult[];
  fuzz: FuzzReport | undefined;
  leak: LeakReport | undefined;
  /** Every broken promise, from all parts. Empty: the run passed. */
  failures: string[];
}

export function totalFaults(result: ScenarioResult): number {
  return Object.values(result.faults.injected).reduce((n, k) => n + (k ?? 0), 0);
}
