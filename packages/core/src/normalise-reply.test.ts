import { describe, expect, it } from 'vitest';
import { normaliseReply } from './normalise-reply.js';

describe('normaliseReply', () => {
  it('turns Buffers into strings, recursively', () => {
    expect(normaliseReply([Buffer.from('abc'), [Buffer.from('d')], 1, null])).toEqual([
      'abc',
      ['d'],
      1,
      null,
    ]);
  });

  it('turns bigints into numbers, or strings when unsafe', () => {
    expect(normaliseReply(42n)).toBe(42);
    expect(normaliseReply(2n ** 60n)).toBe('1152921504606846976');
  });

  it('flattens RESP3 maps and maps booleans like RESP2', () => {
    expect(normaliseReply(new Map([['a', 1n]]))).toEqual(['a', 1]);
    expect(normaliseReply(true)).toBe(1);
    expect(normaliseReply(false)).toBeNull();
    expect(normaliseReply(undefined)).toBeNull();
  });

  it("throws an error value, keeping Redis's message", () => {
    const error = new Error('NOSCRIPT No matching script. Please use EVAL.');
    expect(() => normaliseReply(error)).toThrow(error);
  });
});
