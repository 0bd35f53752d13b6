import { describe, expect, it } from 'vitest';
import { newToken } from './token.js';

describe('newToken', () => {
  it('gives 128-bit hex tokens, all distinct, across refills of the random pool', () => {
    const tokens = Array.from({ length: 1_000 }, () => newToken());
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
