// Probes shared by the adapters' own tests (node-redis, solidis): admin reads that bypass the
// client under test, and a handoff that only a release message can complete.

import type { Locks } from '@deadbolt/core';
import { expect } from 'vitest';

/** A node the test can send admin commands to, bypassing the client under test. */
export type AdminNode = { command(...args: string[]): Promise<unknown> };

/** Polls until `check` holds; fails naming `what` once `ms` have passed. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 5_000,
): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `promise`, or a rejection naming `what` when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Connections subscribed to a sharded channel, summed over `nodes`. */
export async function shardSubscribers(nodes: AdminNode[], pattern: string): Promise<number> {
  const lists = await Promise.all(
    nodes.map((n) => n.command('PUBSUB', 'SHARDCHANNELS', pattern) as Promise<unknown>),
  );
  return lists.reduce<number>((sum, list) => sum + (list as unknown[]).length, 0);
}

/** Connections in pub/sub mode, summed over `nodes`. */
export async function pubsubConnections(nodes: AdminNode[]): Promise<number> {
  const lists = await Promise.all(nodes.map((n) => n.command('CLIENT', 'LIST', 'TYPE', 'pubsub')));
  return lists.flatMap((list) => String(list).split('\n')).filter((l) => l.trim() !== '').length;
}

export const unique = (hint: string) => `${hint}:${Math.random().toString(36).slice(2, 10)}`;

/**
 * One holder releases `name` while a waiter sleeps on its release channel. The waiter may
 * wait 60 s and the holder's ttl is 120 s, so only the release message (or the waiter's own
 * retry right after subscribing) lets it acquire within the 5 s deadline.
 */
export async function handOff(
  holderLocks: Locks,
  waiterLocks: Locks,
  name: string,
  nodes: AdminNode[],
  keyPrefix = '',
): Promise<void> {
  const holder = await holderLocks.acquire(name, { ttl: 120_000 });
  const waiting = waiterLocks.acquire(name, { ttl: 5_000, wait: 60_000 });
  // The channel is named after the key as Redis sees it, client-side key prefix included.
  const channel = `${keyPrefix}${holder.key}:wake:*`;
  await eventually(
    async () => (await shardSubscribers(nodes, channel)) > 0,
    `a waiter on ${channel}`,
  );
  expect(await holder.release()).toBe(true);
  const next = await within(waiting, 5_000, 'the woken waiter acquiring');
  expect(next.fence).toBeGreaterThan(holder.fence);
  expect(await next.release()).toBe(true);
}
