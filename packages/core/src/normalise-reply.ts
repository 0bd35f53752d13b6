import type { RedisReply } from './redis-like-client.js';

/**
 * Turns whatever a driver resolved into a {@link RedisReply}, for adapters: Buffers and
 * Uint8Arrays become UTF-8 strings, bigints become numbers (strings when unsafe), booleans
 * become 1 / null (RESP3 true/false), Maps and Sets become flat arrays, and an `Error` value
 * (solidis resolves error replies as values) is thrown, so the adapter's promise rejects with
 * Redis's message, prefix included.
 */
export function normaliseReply(value: unknown): RedisReply {
  if (value instanceof Error) throw value;
  return convert(value);
}

function convert(value: unknown): RedisReply {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (typeof value === 'boolean') return value ? 1 : null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(convert);
  if (value instanceof Map) return [...value].flatMap(([k, v]) => [convert(k), convert(v)]);
  if (value instanceof Set) return [...value].map(convert);
  if (value instanceof Error) return value.message;
  return String(value);
}
