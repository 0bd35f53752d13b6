import { collectAcquisitions } from '../history/acquisitions.js';
import { checkLostUpdates } from './check-lost-updates.js';
import { checkOverlap } from './check-overlap.js';
import { checkStaleWrites } from './check-stale-writes.js';
import { syntheticHold } from './synthetic-history.js';

/**
 * Feeds the checkers made-up histories with known violations, and one without: a checker
 * that cannot see a planted overlap would make a clean run meaningless. Returns what did not
 * behave (empty when all checkers work).
 */
export function checkerSelfTest(): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => ok || problems.push(what);

  const clean = collectAcquisitions([
    ...syntheticHold({
      worker: 'a',
      op: 1,
      fence: 1,
      enter: 0,
      exit: 10,
      validUntil: 100,
      wrote: 1,
      begin: true,
      fenced: { accepted: true, held: true },
    }),
    ...syntheticHold({
      worker: 'b',
      op: 1,
      fence: 2,
      enter: 10,
      exit: 20,
      validUntil: 110,
      wrote: 2,
      begin: true,
      fenced: { accepted: true, held: true },
    }),
  ]);
  expect(
    checkOverlap(clean, { type: 'mutex' }).overlaps === 0,
    'overlap checker flags a clean handoff',
  );
  expect(checkLostUpdates(clean, 2).lost === 0, 'lost-update checker flags a clean chain');
  const cleanStale = checkStaleWrites(clean);
  expect(
    cleanStale.staleAccepted + cleanStale.validRejected === 0,
    'stale-write checker flags clean writes',
  );

  const overlapping = collectAcquisitions([
    ...syntheticHold({
      worker: 'a',
      op: 1,
      fence: 1,
      enter: 0,
      exit: 10,
      validUntil: 100,
      wrote: 1,
    }),
    ...syntheticHold({
      worker: 'b',
      op: 1,
      fence: 2,
      enter: 5,
      exit: 15,
      validUntil: 105,
      wrote: 1,
    }),
  ]);
  expect(
    checkOverlap(overlapping, { type: 'mutex' }).overlaps === 1,
    'overlap checker misses two holders',
  );
  expect(checkLostUpdates(overlapping, 1).lost === 1, 'lost-update checker misses a lost update');
  expect(
    checkOverlap(overlapping, { type: 'semaphore', limit: 2 }).overlaps === 0,
    'semaphore checker flags two holders under limit 2',
  );

  // A holder past its validity (paused) is no longer a holder: no overlap, but its late
  // write accepted after a newer fence registered is a stale write accepted.
  const stale = collectAcquisitions([
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
      fence: 6,
      enter: 150,
      exit: 160,
      validUntil: 250,
      begin: true,
      fenced: { accepted: true, held: true },
    }),
  ]);
  expect(
    checkOverlap(stale, { type: 'mutex' }).overlaps === 0,
    'overlap checker counts a holder past its validity',
  );
  expect(
    checkStaleWrites(stale).staleAccepted === 1,
    'stale-write checker misses an accepted stale write',
  );

  const readers = collectAcquisitions([
    ...syntheticHold({
      worker: 'a',
      op: 1,
      kind: 'read',
      fence: 1,
      enter: 0,
      exit: 10,
      validUntil: 100,
    }),
    ...syntheticHold({
      worker: 'b',
      op: 1,
      kind: 'read',
      fence: 2,
      enter: 5,
      exit: 15,
      validUntil: 100,
    }),
    ...syntheticHold({
      worker: 'c',
      op: 1,
      kind: 'write',
      fence: 3,
      enter: 12,
      exit: 20,
      validUntil: 100,
    }),
  ]);
  expect(
    checkOverlap(readers, { type: 'read-write' }).overlaps === 1,
    'read-write checker misses a writer entering beside a reader (or flags two readers)',
  );
  return problems;
}
