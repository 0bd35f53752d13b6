import { describe, expect, it } from 'vitest';
import { collectAcquisitions } from '../history/acquisitions.js';
import { checkOverlap } from './check-overlap.js';
import { syntheticHold } from './synthetic-history.js';

const holds = (...list: Parameters<typeof syntheticHold>[0][]) =>
  collectAcquisitions(list.flatMap(syntheticHold));

describe('checkOverlap', () => {
  it('accepts a handoff where one section ends as the next starts', () => {
    const result = checkOverlap(
      holds(
        { worker: 'a', op: 1, fence: 1, enter: 0, exit: 10, validUntil: 100 },
        { worker: 'b', op: 1, fence: 2, enter: 10, exit: 20, validUntil: 110 },
      ),
      { type: 'mutex' },
    );
    expect(result).toMatchObject({ overlaps: 0, maxConcurrent: 1 });
  });

  it('counts a second mutex holder and names both', () => {
    const result = checkOverlap(
      holds(
        { worker: 'a', op: 1, fence: 1, enter: 0, exit: 10, validUntil: 100 },
        { worker: 'b', op: 7, fence: 2, enter: 5, exit: 15, validUntil: 105 },
      ),
      { type: 'mutex' },
    );
    expect(result.overlaps).toBe(1);
    expect(result.examples[0]).toMatchObject({
      entered: 'b#7 (mutex, fence 2)',
      with: ['a#1 (mutex, fence 1)'],
    });
  });

  it('cuts a section at the end of its validity (a paused holder is no holder)', () => {
    const result = checkOverlap(
      holds(
        { worker: 'a', op: 1, fence: 1, enter: 0, exit: 500, validUntil: 100 },
        { worker: 'b', op: 1, fence: 2, enter: 150, exit: 160, validUntil: 250 },
      ),
      { type: 'mutex' },
    );
    expect(result.overlaps).toBe(0);
  });

  it('uses the validity of a killed holder that never left', () => {
    const result = checkOverlap(
      holds(
        { worker: 'a', op: 1, fence: 1, enter: 0, validUntil: 100 },
        { worker: 'b', op: 1, fence: 2, enter: 90, exit: 95, validUntil: 200 },
      ),
      { type: 'mutex' },
    );
    expect(result.overlaps).toBe(1);
  });

  it('allows up to limit semaphore holders', () => {
    const three = holds(
      { worker: 'a', op: 1, kind: 'permit', fence: 1, enter: 0, exit: 30, validUntil: 100 },
      { worker: 'b', op: 1, kind: 'permit', fence: 2, enter: 5, exit: 30, validUntil: 100 },
      { worker: 'c', op: 1, kind: 'permit', fence: 3, enter: 10, exit: 30, validUntil: 100 },
    );
    expect(checkOverlap(three, { type: 'semaphore', limit: 3 }).overlaps).toBe(0);
    expect(checkOverlap(three, { type: 'semaphore', limit: 2 }).overlaps).toBe(1);
  });

  it('lets readers share and keeps a writer alone', () => {
    const history = holds(
      { worker: 'a', op: 1, kind: 'read', fence: 1, enter: 0, exit: 20, validUntil: 100 },
      { worker: 'b', op: 1, kind: 'read', fence: 2, enter: 5, exit: 25, validUntil: 100 },
      { worker: 'c', op: 1, kind: 'write', fence: 3, enter: 30, exit: 40, validUntil: 100 },
      { worker: 'd', op: 1, kind: 'read', fence: 4, enter: 35, exit: 45, validUntil: 100 },
    );
    expect(checkOverlap(history, { type: 'read-write' }).overlaps).toBe(1);
  });
});
