import { describe, expect, it } from 'vitest';
import { collectAcquisitions } from '../history/acquisitions.js';
import { checkStaleWrites } from './check-stale-writes.js';
import { syntheticHold } from './synthetic-history.js';

describe('checkStaleWrites', () => {
  it('counts a stale write rejected after a newer holder registered', () => {
    const result = checkStaleWrites(
      collectAcquisitions([
        ...syntheticHold({
          worker: 'a',
          op: 1,
          fence: 5,
          enter: 0,
          exit: 300,
          validUntil: 100,
          begin: true,
          fenced: { accepted: false, held: false },
        }),
        ...syntheticHold({
          worker: 'b',
          op: 1,
          fence: 6,
          enter: 150,
          exit: 160,
          validUntil: 250,
          begin: true,
          fenced: { accepted: true, held: true },
        }),
      ]),
    );
    expect(result).toMatchObject({
      stale: 1,
      staleRejected: 1,
      staleAccepted: 0,
      validRejected: 0,
    });
  });

  it('flags a stale write accepted after a newer holder registered (fences went back)', () => {
    const result = checkStaleWrites(
      collectAcquisitions([
        ...syntheticHold({
          worker: 'a',
          op: 1,
          fence: 5,
          enter: 0,
          exit: 300,
          validUntil: 100,
          begin: true,
          fenced: { accepted: true, held: false },
        }),
        ...syntheticHold({
          worker: 'b',
          op: 1,
          fence: 1,
          enter: 150,
          exit: 160,
          validUntil: 250,
          begin: true,
          fenced: { accepted: true, held: true },
        }),
      ]),
    );
    expect(result.staleAccepted).toBe(1);
  });

  it('lets a late write through when no newer holder registered (fencing allows it)', () => {
    const result = checkStaleWrites(
      collectAcquisitions(
        syntheticHold({
          worker: 'a',
          op: 1,
          fence: 5,
          enter: 0,
          exit: 300,
          validUntil: 100,
          begin: true,
          fenced: { accepted: true, held: false },
        }),
      ),
    );
    expect(result).toMatchObject({ staleAccepted: 0, staleAcceptedNoNewer: 1 });
  });

  it('flags a valid holder whose fence the store refused', () => {
    const result = checkStaleWrites(
      collectAcquisitions(
        syntheticHold({
          worker: 'a',
          op: 1,
          fence: 2,
          enter: 0,
          exit: 10,
          validUntil: 100,
          begin: false,
          fenced: { accepted: false, held: true },
        }),
      ),
    );
    expect(result.validRejected).toBe(2);
  });
});
