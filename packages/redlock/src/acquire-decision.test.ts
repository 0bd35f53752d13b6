import type { AcquireReply } from '@deadbolt/core';
import { describe, expect, it } from 'vitest';
import { contentionPttl, decideAcquire } from './acquire-decision.js';
import type { NodeResult, RoundState } from './quorum-round.js';

const won = (fence: number): NodeResult<AcquireReply> => ({
  status: 'ok',
  value: { acquired: true, fence },
});
const held = (pttl: number): NodeResult<AcquireReply> => ({
  status: 'ok',
  value: { acquired: false, pttl },
});
const failed: NodeResult<AcquireReply> = { status: 'error', error: new Error('down') };
const slow: NodeResult<AcquireReply> = { status: 'timeout' };

function state(...results: (NodeResult<AcquireReply> | undefined)[]): RoundState<AcquireReply> {
  return { results, pending: results.filter((r) => r === undefined).length };
}

describe('decideAcquire', () => {
  it('wins as soon as a quorum granted, with the largest fence, without waiting for the rest', () => {
    expect(decideAcquire(state(won(3), won(7), undefined), 2)).toEqual({ kind: 'won', fence: 7 });
    expect(decideAcquire(state(won(3), undefined, undefined, won(4), undefined), 3)).toBe(
      undefined,
    );
  });

  it('calls it contention once other owners hold enough nodes, even with nodes pending', () => {
    expect(decideAcquire(state(held(500), held(900), undefined), 2)).toEqual({
      kind: 'contended',
      pttl: 500,
    });
  });

  it('waits while a pending node could still tip contention into an outage', () => {
    // 1 refused, 1 failed, 1 pending: contention if the pending node answers, an outage if not.
    expect(decideAcquire(state(held(500), failed, undefined), 2)).toBe(undefined);
    expect(decideAcquire(state(held(500), failed, slow), 2)).toEqual({ kind: 'outage' });
    expect(decideAcquire(state(held(500), failed, held(100)), 2)).toMatchObject({
      kind: 'contended',
    });
  });

  it('calls contention mixed with a minority outage contention: the holder will let go', () => {
    // 1 granted + 2 held of 5 can form a quorum; both held nodes must free up, so 800.
    expect(decideAcquire(state(won(1), held(800), slow, held(300), failed), 3)).toEqual({
      kind: 'contended',
      pttl: 800,
    });
  });

  it('does not wait for nodes suspected down against other owners (a split)', () => {
    // 2 granted, 2 held, node 0 pending: only a grant from the suspected node would win.
    const split = state(undefined, won(4), won(4), held(900), held(700));
    expect(decideAcquire(split, 3)).toBe(undefined);
    expect(decideAcquire(split, 3, [true, false, false, false, false])).toEqual({
      kind: 'contended',
      pttl: 700,
    });
    // A pending node not suspected could still win it: wait.
    const open = state(undefined, won(4), won(4), held(900), undefined);
    expect(decideAcquire(open, 3, [true, false, false, false, false])).toBe(undefined);
    // Nobody else holds a node: nothing is gained by giving up early.
    expect(decideAcquire(state(undefined, won(4), won(4), failed, failed), 3, [true])).toBe(
      undefined,
    );
    // Without the suspected nodes no quorum could form: that may be an outage, so wait.
    const thin = state(undefined, undefined, won(4), held(900), failed);
    expect(decideAcquire(thin, 3, [true, true])).toBe(undefined);
  });

  it('reports an outage as soon as the nodes left cannot form a quorum', () => {
    expect(decideAcquire(state(failed, slow, undefined), 2)).toEqual({ kind: 'outage' });
    expect(decideAcquire(state(won(1), won(1), slow, slow, slow), 3)).toEqual({ kind: 'outage' });
  });
});

describe('contentionPttl', () => {
  it('is the needed-th shortest remaining ttl among held nodes', () => {
    expect(contentionPttl([900, 100, 500], 1)).toBe(100);
    expect(contentionPttl([900, 100, 500], 2)).toBe(500);
    expect(contentionPttl([900, 100, 500], 3)).toBe(900);
  });

  it('is -1 (unknown) when that node has no expiry', () => {
    expect(contentionPttl([-1, 100], 2)).toBe(-1);
    expect(contentionPttl([-1, 100], 1)).toBe(100);
  });
});
