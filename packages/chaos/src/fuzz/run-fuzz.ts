import { fileURLToPath } from 'node:url';
import { startRedisServer } from '@deadbolt/testkit';
import { runChild } from '../workers/run-child.js';
import type { FuzzOutcome } from './fuzz-bad-input.js';

export interface FuzzReport {
  runsPerFunction: number;
  seed: number;
  outcomes: FuzzOutcome[];
  /** Creation options that accept `null` as "not set" (a finding, not a failure). */
  nullAsUnset: string[];
  elapsedMs: number;
  violations: string[];
}

const FUZZ_FILE = fileURLToPath(new URL('./fuzz-bad-input.ts', import.meta.url));

/** Runs the bad-input fuzz in a child process against a Redis of its own. */
export async function runFuzz(runs: number, seed: number): Promise<FuzzReport> {
  const started = performance.now();
  const server = await startRedisServer();
  try {
    const child = await runChild(
      FUZZ_FILE,
      { port: server.port, runs, seed },
      { timeoutMs: 180_000 },
    );
    const result = child.lines.find(
      (line): line is { fuzz: FuzzOutcome[]; heldThroughout: boolean; nullAsUnset: string[] } =>
        typeof line === 'object' && line !== null && 'fuzz' in line,
    );
    const violations: string[] = [];
    if (result === undefined) {
      violations.push(
        `the fuzz process ended (${child.code ?? child.signal}) without a result: ${child.stderr.slice(-800)}`,
      );
      return {
        runsPerFunction: runs,
        seed,
        outcomes: [],
        nullAsUnset: [],
        elapsedMs: 0,
        violations,
      };
    }
    for (const o of result.fuzz) {
      if (o.failure !== undefined) violations.push(`fuzz ${o.name}: ${o.failure.split('\n')[0]}`);
      if (o.unhandled > 0) violations.push(`fuzz ${o.name}: ${o.unhandled} unhandled error(s)`);
      if (o.keyspaceChanged) violations.push(`fuzz ${o.name}: the keyspace changed`);
      if (o.failure === undefined && o.calls < runs) {
        violations.push(`fuzz ${o.name}: only ${o.calls} calls`);
      }
    }
    if (!result.heldThroughout) violations.push('fuzz: a held lock was lost while bad extends ran');
    if (child.code !== 0)
      violations.push(`the fuzz process exited with ${child.code ?? child.signal}`);
    return {
      runsPerFunction: runs,
      seed,
      outcomes: result.fuzz,
      nullAsUnset: result.nullAsUnset,
      elapsedMs: performance.now() - started,
      violations,
    };
  } finally {
    await server.stop();
  }
}
