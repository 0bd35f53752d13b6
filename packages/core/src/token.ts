import { randomBytes } from 'node:crypto';

/** A fresh 128-bit random owner token, hex encoded. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}
