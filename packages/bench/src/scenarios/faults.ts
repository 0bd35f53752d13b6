import type { RedisServer } from '@deadbolt/testkit';
import type { HeldLock, Implementation, LockClient } from '../implementations/lock-client.js';
import { percentile } from '../measure/statistics.js';
import type { FaultResult } from '../results.js';
import { describeError, noteError, type ScenarioContext } from './scenario-context.js';

type Settled<T> =
  | { status: 'ok'; value: T; ms: number }
  | { status: 'error'; error: unknown; ms: number }
  | { status: 'no answer'; ms: number };

/** Waits for `promise` up to `capMs`; a late result is left to `onLate`. */
function within<T>(promise: Promise<T>, capMs: number, onLate: (value: T) => void) {
  const started = performance.now();
  return new Promise<Settled<T>>((resolve) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      resolve({ status: 'no answer', ms: performance.now() - started });
    }, capMs);
    promise.then(
      (value) => {
        if (done) return onLate(value);
        done = true;
        clearTimeout(timer);
        resolve({ status: 'ok', value, ms: performance.now() - started });
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ status: 'error', error, ms: performance.now() - started });
      },
    );
  });
}

/** A lock that a call we stopped waiting for got after all: give it back. */
const releaseLate = (held: HeldLock) => void held.release().catch(() => {});

/** Nodes that an error's per-node report marks as timed out (deadbolt's `QuorumError.nodes`). */
function timedOutNodes(error: unknown): number[] | undefined {
  const nodes = (error as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return undefined;
  return nodes
    .filter((n: { outcome?: unknown }) => n?.outcome === 'timeout')
    .map((n: { node?: unknown }) => Number(n.node));
}

async function pause(servers: readonly RedisServer[]) {
  await Promise.all(servers.map((s) => s.pause()));
}

async function resume(servers: readonly RedisServer[]) {
  await Promise.all(servers.map((s) => s.resume()));
}

/**
 * Scenario 5: quorum implementations on 5 nodes with their default client settings, each
 * client warmed up first. With 2 nodes stopped (SIGSTOP: sockets stay open, nothing answers):
 * success rate and latency of acquire + release, each cycle given `cycleCapMs`. With 3
 * stopped: how long one acquire takes to report failure, and which error it reports.
 */
export async function runFaults(
  ctx: ScenarioContext,
  impls: readonly Implementation[],
): Promise<FaultResult[]> {
  const { nodes: count, cycles, budgetMs, cycleCapMs, failureCapMs } = ctx.config.faults;
  const { ttl } = ctx.config;
  const nodes = ctx.nodes.slice(0, count);
  const results: FaultResult[] = [];
  for (const impl of impls) {
    ctx.log(`faults: ${impl.label}`);
    let client: LockClient | undefined;
    const errors: string[] = [];
    const samples: number[] = [];
    let attempted = 0;
    let majority: FaultResult['majority'] = {
      ms: Number.NaN,
      capMs: failureCapMs,
      outcome: 'no answer',
      error: '',
      errorName: '',
    };
    try {
      client = await impl.open(nodes);
      for (let i = 0; i < 5; i++) {
        const held = await client.acquire(`bench:faults:${impl.id}:warm`, ttl);
        await held.release();
      }

      await pause(nodes.slice(count - 2));
      try {
        const started = performance.now();
        while (attempted < cycles && performance.now() - started < budgetMs) {
          const key = `bench:faults:${impl.id}:minority:${attempted++}`;
          const cycle = (async () => {
            const held = await client.acquire(key, ttl);
            await held.release();
          })();
          const settled = await within(cycle, cycleCapMs, () => {});
          if (settled.status === 'ok') samples.push(settled.ms);
          else if (settled.status === 'error') noteError(errors, settled.error);
          else noteError(errors, new Error(`no answer within ${cycleCapMs} ms`));
        }
      } finally {
        await resume(nodes.slice(count - 2));
      }

      await pause(nodes.slice(count - 3));
      try {
        const settled = await within(
          client.acquire(`bench:faults:${impl.id}:majority`, ttl),
          failureCapMs,
          releaseLate,
        );
        if (settled.status === 'ok') releaseLate(settled.value);
        majority = {
          ms: settled.status === 'error' ? settled.ms : Number.NaN,
          capMs: failureCapMs,
          outcome:
            settled.status === 'ok'
              ? 'acquired'
              : settled.status === 'error'
                ? 'failed'
                : 'no answer',
          error: settled.status === 'error' ? describeError(settled.error) : '',
          errorName:
            settled.status === 'error' && settled.error instanceof Error ? settled.error.name : '',
          ...(settled.status === 'error' && timedOutNodes(settled.error) !== undefined
            ? { timedOutNodes: timedOutNodes(settled.error)! }
            : {}),
        };
      } finally {
        await resume(nodes.slice(count - 3));
      }
    } catch (error) {
      noteError(errors, error);
      ctx.log(`  ${impl.label}: ${describeError(error)}`);
    } finally {
      // Calls stuck on the stopped nodes finish now that they answer again; give them a moment.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await client?.close();
    }
    results.push({
      id: impl.id,
      minority: {
        attempted,
        succeeded: samples.length,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        errors,
      },
      majority,
    });
  }
  return results;
}
