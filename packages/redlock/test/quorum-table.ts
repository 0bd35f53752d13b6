import { type Locks, LockTimeoutError, type NodeOutcome, QuorumError } from '@deadbolt/core';
import type { RedisServer } from '@deadbolt/testkit';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { waitUntilReady } from './quorum-nodes.js';

/** What a node does during one row of a quorum table. */
export type NodeState = 'healthy' | 'held' | 'stopped' | 'killed';

/** What a quorum acquire must do for a row, worked out from the states alone. */
export function expectedOutcome(
  states: readonly NodeState[],
  quorum: number,
): 'acquired' | 'contended' | 'outage' {
  const healthy = states.filter((s) => s === 'healthy').length;
  const held = states.filter((s) => s === 'held').length;
  if (healthy >= quorum) return 'acquired';
  // The nodes that answer could form a quorum once the other owner lets go: worth waiting.
  if (healthy + held >= quorum) return 'contended';
  return 'outage';
}

/**
 * The outcome each node must be reported with in a `QuorumError`. A killed node reads as
 * `'timeout'` with the test clients: ioredis queues commands while it reconnects (see
 * `connectNode`), so the command neither succeeds nor fails within `nodeTimeout`.
 */
const reported: Record<NodeState, NodeOutcome> = {
  healthy: 'acquired',
  held: 'held',
  stopped: 'timeout',
  killed: 'timeout',
};

const OTHER_OWNER = 'another-owner-token';

export interface TableContext {
  readonly servers: readonly RedisServer[];
  readonly clients: readonly Redis[];
  readonly locks: Locks;
  readonly quorum: number;
}

/** Groups rows by which nodes are down, so each fault is set up once per group. */
function byDownPattern(rows: readonly NodeState[][]): Map<string, NodeState[][]> {
  const groups = new Map<string, NodeState[][]>();
  for (const row of rows) {
    const pattern = row.map((s) => (s === 'stopped' || s === 'killed' ? s[0] : '-')).join('');
    const group = groups.get(pattern) ?? [];
    group.push(row);
    groups.set(pattern, group);
  }
  return groups;
}

async function bringDown(ctx: TableContext, row: readonly NodeState[]): Promise<void> {
  await Promise.all(
    row.map(async (state, i) => {
      const server = ctx.servers[i]!;
      if (state === 'stopped') await server.pause();
      if (state === 'killed') {
        await server.kill();
        // Wait until the client saw the connection go, so commands queue up for the reconnect.
        const deadline = performance.now() + 5_000;
        while (ctx.clients[i]!.status === 'ready') {
          if (performance.now() > deadline) throw new Error(`client ${i} still ready after kill`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    }),
  );
}

async function bringUp(ctx: TableContext, row: readonly NodeState[]): Promise<void> {
  await Promise.all(
    row.map(async (state, i) => {
      const server = ctx.servers[i]!;
      if (state === 'stopped') await server.resume();
      if (state === 'killed') await server.restart({ empty: true });
    }),
  );
  await waitUntilReady(ctx.clients);
}

async function lockValues(ctx: TableContext, key: string, row: readonly NodeState[]) {
  return Promise.all(
    row.map((state, i) =>
      state === 'healthy' || state === 'held' ? ctx.servers[i]!.command('GET', key) : 'down',
    ),
  );
}

async function eventually(check: () => Promise<boolean>, what: string, timeout = 5_000) {
  const deadline = performance.now() + timeout;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Runs one quorum-table row: the held nodes get another owner's key, then `tryAcquire` and a
 * single-attempt `acquire` must end as {@link expectedOutcome} says, within `bound` ms each,
 * and leave no key of ours behind on the nodes that answer.
 */
async function runRow(ctx: TableContext, row: readonly NodeState[], name: string, bound: number) {
  const key = `deadbolt:{${name}}`;
  await Promise.all(
    row.map((state, i) =>
      state === 'held' ? ctx.servers[i]!.command('SET', key, OTHER_OWNER, 'PX', 60_000) : undefined,
    ),
  );
  const expected = expectedOutcome(row, ctx.quorum);
  const label = `${row.join(',')} → ${expected}`;

  let started = performance.now();
  const tried = await ctx.locks.tryAcquire(name, { ttl: 20_000 }).then(
    (lock) => ({ lock }),
    (error: unknown) => ({ error }),
  );
  expect(performance.now() - started, `${label}: tryAcquire time`).toBeLessThan(bound);

  if (expected === 'acquired') {
    expect(tried, `${label}: ${String((tried as { error?: unknown }).error)}`).toHaveProperty(
      'lock',
    );
    const lock = (tried as { lock: NonNullable<Awaited<ReturnType<Locks['tryAcquire']>>> }).lock;
    expect(lock, label).not.toBeNull();
    expect(lock.fence, label).toBeGreaterThan(0);
    // Every healthy node grants (the decision did not wait for all of them, so poll).
    await eventually(async () => {
      const values = await lockValues(ctx, key, row);
      return row.every((s, i) => s !== 'healthy' || values[i] === lock.token);
    }, `${label}: our token on every healthy node`);
    started = performance.now();
    expect(await lock.release(), label).toBe(true);
    expect(performance.now() - started, `${label}: release time`).toBeLessThan(bound);
  } else {
    if (expected === 'contended') {
      expect(tried, label).toEqual({ lock: null });
    } else {
      expect(tried, label).toHaveProperty('error');
      const error = (tried as { error: unknown }).error;
      expect(QuorumError.isInstance(error), `${label}: ${String(error)}`).toBe(true);
      const quorumError = error as QuorumError;
      expect(quorumError.operation).toBe('acquire');
      expect(
        quorumError.nodes.map((n) => n.outcome),
        label,
      ).toEqual(row.map((s) => reported[s]));
    }
    started = performance.now();
    const attempt = await ctx.locks.acquire(name, { ttl: 20_000, wait: 0 }).then(
      () => new Error('acquired'),
      (error: unknown) => error,
    );
    expect(performance.now() - started, `${label}: acquire time`).toBeLessThan(bound);
    if (expected === 'contended') {
      expect(LockTimeoutError.isInstance(attempt), `${label}: ${String(attempt)}`).toBe(true);
    } else {
      expect(QuorumError.isInstance(attempt), `${label}: ${String(attempt)}`).toBe(true);
    }
  }
  // No grant of ours survives on a node that answers: partial grants were given back.
  await eventually(async () => {
    const values = await lockValues(ctx, key, row);
    return row.every(
      (s, i) =>
        (s === 'healthy' && values[i] === null) ||
        (s === 'held' && values[i] === OTHER_OWNER) ||
        values[i] === 'down',
    );
  }, `${label}: no key of ours left on the answering nodes`);
}

/**
 * Runs a whole table: for each pattern of nodes down, brings them down once, runs every row
 * with that pattern, and brings them back. Returns how many rows ran.
 */
export async function runTable(
  ctx: TableContext,
  rows: readonly NodeState[][],
  bound: number,
): Promise<number> {
  const run = Math.random().toString(36).slice(2, 8);
  let count = 0;
  for (const [pattern, group] of byDownPattern(rows)) {
    await bringDown(ctx, group[0]!);
    try {
      for (const row of group) {
        await runRow(ctx, row, `table:${run}:${pattern}:${count++}`, bound);
      }
    } finally {
      await bringUp(ctx, group[0]!);
    }
  }
  // Commands queued for the nodes that were down ran once they came back: nothing of ours
  // may be left anywhere, only the other owner's keys.
  await eventually(async () => {
    for (const server of ctx.servers) {
      const keys = (await server.command('KEYS', `deadbolt:{table:${run}:*}`)) as string[];
      for (const key of keys) {
        if ((await server.command('GET', key)) !== OTHER_OWNER) return false;
      }
    }
    return true;
  }, 'every late grant to be released');
  return count;
}

/** Every combination of `states` over `n` nodes. */
export function allRows(n: number, states: readonly NodeState[]): NodeState[][] {
  if (n === 0) return [[]];
  return allRows(n - 1, states).flatMap((rest) => states.map((s) => [s, ...rest]));
}
