import { randomFillSync } from 'node:crypto';

const TOKEN_BYTES = 16;
/** Tokens drawn per call to the CSPRNG. */
const POOL_TOKENS = 256;

const pool = Buffer.alloc(TOKEN_BYTES * POOL_TOKENS);
let next = pool.length;

/**
 * A fresh 128-bit random owner token, hex encoded.
 *
 * The bytes come from the operating system's CSPRNG (`crypto.randomFillSync`), drawn 4 KiB at
 * a time: one call costs about as much as a call for 16 bytes (several µs here), so drawing
 * per token would be the largest CPU cost of an uncontended acquire. Each byte is used once.
 * (`crypto.randomUUID` pools the same way.)
 */
export function newToken(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const token = pool.toString('hex', next, next + TOKEN_BYTES);
  next += TOKEN_BYTES;
  return token;
}
