import { describe, expect, it } from 'vitest';
import { DeadboltError } from './deadbolt-error.js';
import { LockLostError } from './lock-lost-error.js';
import { LockTimeoutError } from './lock-timeout-error.js';
import { QuorumError } from './quorum-error.js';

describe('errors', () => {
  it('carry codes and the facts a caller needs', () => {
    const timeout = new LockTimeoutError('report', 2_000.4, 3);
    expect(timeout).toMatchObject({
      code: 'LOCK_TIMEOUT',
      lockName: 'report',
      waitedMs: 2_000,
      attempts: 3,
    });
    expect(timeout.name).toBe('LockTimeoutError');
    const lost = new LockLostError('report', 'taken');
    expect(lost).toMatchObject({ code: 'LOCK_LOST', lockName: 'report', reason: 'taken' });
  });

  it('recognise each other across copies of the package, by brand not by class', () => {
    // A structurally separate copy: same Symbol.for brand, different class identity.
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('deadbolt.error'), {
      value: true,
    });
    Object.assign(foreign, { code: 'LOCK_TIMEOUT' });
    expect(DeadboltError.isInstance(foreign)).toBe(true);
    expect(LockTimeoutError.isInstance(foreign)).toBe(true);
    expect(LockLostError.isInstance(foreign)).toBe(false);
    expect(DeadboltError.isInstance(new Error('plain'))).toBe(false);
    expect(DeadboltError.isInstance(null)).toBe(false);
  });

  it('make an outage read differently from contention in QuorumError', () => {
    const error = new QuorumError('x', 'acquire', 3, [
      { node: 0, outcome: 'acquired' },
      { node: 1, outcome: 'held' },
      { node: 2, outcome: 'timeout', error: new Error('no reply') },
      { node: 3, outcome: 'error', error: new Error('ECONNREFUSED') },
      { node: 4, outcome: 'timeout' },
    ]);
    expect(error.message).toContain('1 held by another owner');
    expect(error.message).toContain('3 unavailable (#2 timeout, #3 error, #4 timeout)');
    expect(QuorumError.isInstance(error)).toBe(true);
    expect(DeadboltError.isInstance(error)).toBe(true);
  });
});
