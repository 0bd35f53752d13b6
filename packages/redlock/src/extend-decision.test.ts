import type { ExtendReply } from '@deadbolt/core';
import { describe, expect, it } from 'vitest';
import { decideExtend } from './extend-decision.js';
import type { NodeResult, RoundState } from './quorum-round.js';

const ok = (value: ExtendReply): NodeResult<ExtendReply> => ({ status: 'ok', value });
const failed: NodeResult<ExtendReply> = { status: 'error', error: new Error('down') };
const slow: NodeResult<ExtendReply> = { status: 'timeout' };

function state(...results: (NodeResult<ExtendReply> | undefined)[]): RoundState<ExtendReply> {
  return { results, pending: results.filter((r) => r === undefined).length };
}

describe('decideExtend', () => {
  it('extends once a quorum extended, without waiting for the rest', () => {
    expect(decideExtend(state(ok('extended'), ok('extended'), undefined), 2)).toBe('extended');
    expect(decideExtend(state(ok('extended'), slow, ok('extended')), 2)).toBe('extended');
  });

  it("is 'taken' when other owners alone rule out our quorum", () => {
    expect(decideExtend(state(ok('taken'), ok('taken'), undefined), 2)).toBe('taken');
  });

  it("is 'absent' when our key is gone from too many nodes", () => {
    expect(decideExtend(state(ok('absent'), ok('absent'), ok('extended')), 2)).toBe('absent');
    expect(decideExtend(state(ok('absent'), ok('taken'), ok('extended')), 2)).toBe('absent');
    // Even if the failed node still had our key, 1 + 1 < 3 of 5.
    expect(
      decideExtend(state(ok('absent'), ok('absent'), ok('absent'), ok('extended'), failed), 3),
    ).toBe('absent');
  });

  it('is an outage when the failed nodes might have made the quorum', () => {
    expect(decideExtend(state(ok('extended'), failed, slow), 2)).toBe('outage');
    expect(decideExtend(state(ok('extended'), ok('absent'), slow), 2)).toBe('outage');
    expect(decideExtend(state(ok('extended'), ok('absent'), undefined), 2)).toBe(undefined);
  });
});
