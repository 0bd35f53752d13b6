import { describe, expect, it } from 'vitest';
import { collectAcquisitions } from '../history/acquisitions.js';
import type { HistoryEvent } from '../history/history-event.js';
import { checkLostUpdates } from './check-lost-updates.js';
import { syntheticHold } from './synthetic-history.js';

describe('checkLostUpdates', () => {
  it('accepts a chain of increments', () => {
    const acquisitions = collectAcquisitions([
      ...syntheticHold({
        worker: 'a',
        op: 1,
        fence: 1,
        enter: 0,
        exit: 5,
        validUntil: 100,
        wrote: 1,
      }),
      ...syntheticHold({
        worker: 'b',
        op: 1,
        fence: 2,
        enter: 6,
        exit: 9,
        validUntil: 100,
        wrote: 2,
      }),
    ]);
    expect(checkLostUpdates(acquisitions, 2)).toMatchObject({
      successes: 2,
      lost: 0,
      unexplained: 0,
    });
  });

  it('sees two sections that wrote the same value, and a counter that fell short', () => {
    const acquisitions = collectAcquisitions([
      ...syntheticHold({
        worker: 'a',
        op: 1,
        fence: 1,
        enter: 0,
        exit: 5,
        validUntil: 100,
        wrote: 1,
      }),
      ...syntheticHold({
        worker: 'b',
        op: 1,
        fence: 2,
        enter: 1,
        exit: 6,
        validUntil: 100,
        wrote: 1,
      }),
    ]);
    expect(checkLostUpdates(acquisitions, 1).lost).toBe(1);
    expect(checkLostUpdates(acquisitions.slice(0, 1), 0).lost).toBe(1);
  });

  it('allows an unacknowledged write to have landed, but nothing beyond', () => {
    const events: HistoryEvent[] = [
      ...syntheticHold({
        worker: 'a',
        op: 1,
        fence: 1,
        enter: 0,
        exit: 5,
        validUntil: 100,
        wrote: 1,
      }),
      ...syntheticHold({ worker: 'b', op: 1, fence: 2, enter: 6, validUntil: 100 }),
      { worker: 'b', op: 1, type: 'w-inv', value: 2, t: '7000000' },
    ];
    const acquisitions = collectAcquisitions(events);
    expect(checkLostUpdates(acquisitions, 2)).toMatchObject({
      lost: 0,
      unexplained: 0,
      unacknowledged: 1,
    });
    expect(checkLostUpdates(acquisitions, 3).unexplained).toBe(1);
  });
});
