import { describe, expect, it } from 'vitest';
import type { NodeResult, RoundState } from './quorum-round.js';
import { decideRelease } from './release-decision.js';

const ok = (value: boolean): NodeResult<boolean> => ({ status: 'ok', value });
const slow: NodeResult<boolean> = { status: 'timeout' };
const failed: NodeResult<boolean> = { status: 'error', error: new Error('down') };

function state(...results: (NodeResult<boolean> | undefined)[]): RoundState<boolean> {
  return { results, pending: results.filter((r) => r === undefined).length };
}

describe('decideRelease', () => {
  it('is true once a quorum deleted our token', () => {
    expect(decideRelease(state(ok(true), undefined, ok(true)), 2)).toBe(true);
    expect(decideRelease(state(ok(true), slow, ok(true), slow, ok(true)), 3)).toBe(true);
  });

  it('is false once a quorum answered and too few of them had our token', () => {
    expect(decideRelease(state(ok(false), ok(false), undefined), 2)).toBe(false);
    expect(decideRelease(state(ok(true), ok(false), ok(false), ok(false), slow), 3)).toBe(false);
    // Not confirmable: the stopped node may hold our token, but a quorum answered.
    expect(decideRelease(state(ok(false), ok(false), ok(true), ok(true), slow), 3)).toBe(false);
    expect(decideRelease(state(ok(true), ok(false), slow), 2)).toBe(false);
  });

  it('waits while a pending node could still make it true', () => {
    expect(decideRelease(state(ok(true), ok(false), undefined), 2)).toBe(undefined);
  });

  it('is an outage when fewer than a quorum of nodes answer', () => {
    expect(decideRelease(state(ok(true), slow, slow), 2)).toBe('outage');
    expect(decideRelease(state(ok(true), ok(true), failed, slow, failed), 3)).toBe('outage');
    expect(decideRelease(state(ok(false), failed, undefined), 2)).toBe(undefined);
  });
});
