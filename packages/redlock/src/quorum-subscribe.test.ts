import type { RedisLikeClient } from '@deadbolt/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { quorumSubscribe } from './quorum-subscribe.js';

type Subscribe = NonNullable<RedisLikeClient['subscribe']>;

/** A node's subscribe that the test confirms or fails by hand. */
function fakeNode() {
  const node = {
    listener: undefined as ((message: string) => void) | undefined,
    confirm: () => {},
    fail: (_error: unknown) => {},
    unsubscribed: 0,
    subscribe: (async () => undefined) as unknown as Subscribe,
  };
  node.subscribe = (_channel, onMessage) =>
    new Promise((resolve, reject) => {
      node.listener = onMessage;
      node.confirm = () =>
        resolve(async () => {
          node.unsubscribed++;
        });
      node.fail = reject;
    });
  return node;
}

describe('quorumSubscribe', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves once `needed` nodes confirmed, and merges a burst of messages into one wake-up', async () => {
    const nodes = [fakeNode(), fakeNode(), fakeNode()];
    const subscribe = quorumSubscribe(
      nodes.map((n) => n.subscribe),
      { needed: 2, timeoutMs: 750, jitterMs: 10 },
    );
    const wakeUps: string[] = [];
    const pending = subscribe('ch', (message) => wakeUps.push(message));
    let resolved = false;
    void pending.then(() => {
      resolved = true;
    });
    nodes[0]!.confirm();
    await vi.advanceTimersByTimeAsync(0);
    expect(resolved).toBe(false);
    nodes[2]!.confirm();
    const unsubscribe = await pending;

    // One release publishes on every node of the holder's quorum.
    nodes[0]!.listener?.('released');
    nodes[2]!.listener?.('released');
    await vi.advanceTimersByTimeAsync(11);
    expect(wakeUps).toEqual(['released']);
    // A later release is a new wake-up.
    nodes[2]!.listener?.('released');
    await vi.advanceTimersByTimeAsync(11);
    expect(wakeUps).toHaveLength(2);

    // A subscription confirmed late is kept, and dropped with the others.
    nodes[1]!.confirm();
    await vi.advanceTimersByTimeAsync(0);
    await unsubscribe();
    expect(nodes.map((n) => n.unsubscribed)).toEqual([1, 1, 1]);
    nodes[0]!.listener?.('released');
    await vi.advanceTimersByTimeAsync(11);
    expect(wakeUps).toHaveLength(2);
  });

  it('rejects once `needed` confirmations are impossible, and unsubscribes late confirmations', async () => {
    const nodes = [fakeNode(), fakeNode(), fakeNode()];
    const subscribe = quorumSubscribe(
      nodes.map((n) => n.subscribe),
      { needed: 2, timeoutMs: 750, jitterMs: 10 },
    );
    const pending = subscribe('ch', () => {});
    const outcome = pending.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    nodes[0]!.fail(new Error('connection refused'));
    nodes[1]!.confirm();
    // Node 2 never answers (stopped): after the timeout, 2 confirmations are out of reach.
    await vi.advanceTimersByTimeAsync(751);
    const error = await outcome;
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(2);
    expect(nodes[1]!.unsubscribed).toBe(1);
    nodes[2]!.confirm();
    await vi.advanceTimersByTimeAsync(0);
    expect(nodes[2]!.unsubscribed).toBe(1);
  });

  it('does not let a node that never answers hold up unsubscribing', async () => {
    const stuck = fakeNode();
    const nodes = [fakeNode(), fakeNode()];
    const subscribe = quorumSubscribe([...nodes.map((n) => n.subscribe), stuck.subscribe], {
      needed: 2,
      timeoutMs: 750,
      jitterMs: 10,
    });
    const pending = subscribe('ch', () => {});
    for (const node of nodes) node.confirm();
    const unsubscribe = await pending;
    stuck.confirm = () => {}; // its unsubscribe would hang, too
    let done = false;
    void unsubscribe().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });
});
