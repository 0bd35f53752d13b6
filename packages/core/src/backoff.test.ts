import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const bounds = { minDelay: 10, maxDelay: 500 };

describe('backoffDelay', () => {
  it('draws from [0, minDelay * 2^retry] (full jitter), at least 1 ms', () => {
    expect(backoffDelay(0, bounds, () => 0)).toBe(1);
    expect(backoffDelay(0, bounds, () => 0.999)).toBe(9);
    expect(backoffDelay(3, bounds, () => 0.5)).toBe(40);
  });

  it('never exceeds maxDelay, even after many retries', () => {
    for (const retry of [5, 6, 30, 1_000]) {
      expect(backoffDelay(retry, bounds, () => 0.999_999)).toBeLessThanOrEqual(500);
    }
  });

  it('spreads waiters apart', () => {
    const seen = new Set(Array.from({ length: 200 }, () => backoffDelay(4, bounds)));
    expect(seen.size).toBeGreaterThan(20);
  });
});
