import { fileURLToPath } from 'node:url';
import { startRedisServer } from '@deadbolt/testkit';
import { runChild } from '../workers/run-child.js';

/** Heap growth allowed over the measured cycles (after gc, warm-up excluded). */
export const HEAP_GROWTH_BOUND = 2 * 1024 * 1024;
/** The child must exit by itself within this long after its loop ends. */
export const EXIT_BOUND_MS = 5_000;

export interface LeakReport {
  cycles: number;
  waits: number;
  aborts: number;
  extensions: number;
  refused: number;
  /** Auto-extended locks lost because an extension came too late (machine load). */
  lost: number;
  heapBefore: number;
  heapAfter: number;
  heapGrowth: number;
  heapBound: number;
  /** ms from the end of the loop to the process's exit; undefined if it had to be killed. */
  exitAfterMs: number | undefined;
  exitBoundMs: number;
  unhandled: string[];
  elapsedMs: number;
  violations: string[];
}

const LEAK_FILE = fileURLToPath(new URL('./leak-cycles.ts', import.meta.url));

interface LoopDone {
  loopDone: string;
  cycles: number;
  waits: number;
  aborts: number;
  extensions: number;
  refused: number;
  lost: number;
  errors: string[];
  heapBefore: number;
  heapAfter: number;
}

/** Runs the leak check's child and judges it: heap growth, and an exit by itself in time. */
export async function runLeakCheck(cycles: number): Promise<LeakReport> {
  const started = performance.now();
  const server = await startRedisServer();
  try {
    const child = await runChild(
      LEAK_FILE,
      { port: server.port, cycles, warmup: 500 },
      { flags: ['--expose-gc'], timeoutMs: 120_000 },
    );
    const index = child.lines.findIndex(
      (line) => typeof line === 'object' && line !== null && 'loopDone' in line,
    );
    const done = child.lines[index] as LoopDone | undefined;
    const unhandled = child.lines.flatMap((line) =>
      typeof line === 'object' && line !== null && 'unhandled' in line
        ? [String((line as { unhandled: unknown }).unhandled)]
        : [],
    );
    const stillAlive = child.lines.find(
      (line) => typeof line === 'object' && line !== null && 'stillAlive' in line,
    );
    const violations: string[] = [];
    if (done === undefined) {
      violations.push(
        `leak check: the loop did not finish (${child.code ?? child.signal}): ${child.stderr.slice(-800)}`,
      );
    }
    const loopEnd = child.arrivedAt[index];
    const exitAfterMs =
      child.exitedAt !== undefined && loopEnd !== undefined
        ? Number(child.exitedAt - loopEnd) / 1e6
        : undefined;
    const heapGrowth = done === undefined ? 0 : done.heapAfter - done.heapBefore;
    if (done !== undefined && done.cycles < cycles) {
      violations.push(`leak check: ${done.cycles} of ${cycles} cycles completed`);
    }
    if (heapGrowth > HEAP_GROWTH_BOUND) {
      violations.push(
        `leak check: heap grew ${(heapGrowth / 1048576).toFixed(2)} MiB over ${cycles} cycles`,
      );
    }
    if (exitAfterMs === undefined || exitAfterMs > EXIT_BOUND_MS) {
      violations.push(
        `leak check: the process did not exit by itself within ${EXIT_BOUND_MS} ms after its loop` +
          (stillAlive === undefined ? '' : ` (still alive with ${JSON.stringify(stillAlive)})`),
      );
    } else if (child.code !== 0) {
      violations.push(`leak check: the process exited with ${child.code ?? child.signal}`);
    }
    if (unhandled.length > 0) {
      violations.push(`leak check: ${unhandled.length} unhandled error(s), first: ${unhandled[0]}`);
    }
    for (const error of done?.errors ?? []) violations.push(`leak check: ${error}`);
    return {
      cycles: done?.cycles ?? 0,
      waits: done?.waits ?? 0,
      aborts: done?.aborts ?? 0,
      extensions: done?.extensions ?? 0,
      refused: done?.refused ?? 0,
      lost: done?.lost ?? 0,
      heapBefore: done?.heapBefore ?? 0,
      heapAfter: done?.heapAfter ?? 0,
      heapGrowth,
      heapBound: HEAP_GROWTH_BOUND,
      exitAfterMs,
      exitBoundMs: EXIT_BOUND_MS,
      unhandled,
      elapsedMs: performance.now() - started,
      violations,
    };
  } finally {
    await server.stop();
  }
}
