import type { InspectReply } from '@deadbolt/core';
import { describe, expect, it } from 'vitest';
import { decideInspect } from './inspect-decision.js';
import type { NodeResult, RoundState } from './quorum-round.js';

type Reply = InspectReply | null;
const present = (pttl: number, fence: number): NodeResult<Reply> => ({
  status: 'ok',
  value: { pttl, fence },
});
const free: NodeResult<Reply> = { status: 'ok', value: null };
const slow: NodeResult<Reply> = { status: 'timeout' };

function state(...results: (NodeResult<Reply> | undefined)[]): RoundState<Reply> {
  return { results, pending: results.filter((r) => r === undefined).length };
}

describe('decideInspect', () => {
  it('reports the lock once a quorum has its key: quorum-th longest pttl, largest fence', () => {
    expect(decideInspect(state(present(900, 4), present(400, 5), undefined), 2)).toEqual({
      pttl: 400,
      fence: 5,
    });
    expect(
      decideInspect(state(present(900, 4), present(400, 5), present(700, 3), free, slow), 3),
    ).toEqual({ pttl: 400, fence: 5 });
    expect(decideInspect(state(present(-1, 1), present(-1, 1), free), 2)).toEqual({
      pttl: -1,
      fence: 1,
    });
  });

  it('reports it free once no quorum can have the key', () => {
    expect(decideInspect(state(free, undefined, free), 2)).toBeNull();
    expect(decideInspect(state(free, present(100, 1), slow, free, free), 3)).toBeNull();
  });

  it('is an outage when too many nodes failed to tell', () => {
    expect(decideInspect(state(free, present(100, 1), slow), 2)).toBe('outage');
    expect(decideInspect(state(free, present(100, 1), undefined), 2)).toBe(undefined);
  });
});
