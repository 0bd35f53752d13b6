import { describe, expect, it } from 'vitest';
import { driftDeduction, validityLeft } from './validity.js';

describe('validity arithmetic', () => {
  it('is ttl - elapsed - ttl * drift - 2 ms', () => {
    expect(validityLeft(30_000, 5, 0.01)).toBe(30_000 - 5 - 300 - 2);
    expect(validityLeft(1_000, 0, 0)).toBe(998);
  });

  it('runs out when the round trip ate the ttl', () => {
    expect(validityLeft(100, 97, 0.01)).toBeLessThanOrEqual(0);
  });

  it('deducts a whole number of milliseconds', () => {
    expect(driftDeduction(1_234, 0.01)).toBe(14);
  });
});
