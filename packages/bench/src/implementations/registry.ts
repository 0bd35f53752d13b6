import { deadbolt, deadboltRedlock } from './deadbolt.js';
import { floorOn } from './floor.js';
import type { Implementation } from './lock-client.js';
import { notifiedReference } from './notified-reference.js';
import { redisSemaphore } from './redis-semaphore.js';
import { redlockUniversal } from './redlock-universal.js';
import { redlockV4 } from './redlock-v4.js';
import { redlockV5 } from './redlock-v5.js';
import { simpleRedisMutex } from './simple-redis-mutex.js';

/**
 * Everything the benchmark compares, in report order. Adding an implementation or a variant
 * is one entry here; each scenario picks the entries that fit it (`single`, `quorum`,
 * `autoExtend`, `tuning`). A deadbolt variant is `deadbolt({ adapter, variant, options })`:
 * it is run when this build of core accepts its options and listed as unavailable otherwise.
 */
export const implementations: readonly Implementation[] = [
  floorOn('ioredis'),
  floorOn('node-redis'),
  floorOn('solidis stand-in'),
  notifiedReference,
  deadbolt({ adapter: 'ioredis' }),
  deadbolt({ adapter: 'node-redis' }),
  deadbolt({ adapter: 'solidis stand-in' }),
  deadbolt({ adapter: 'ioredis', variant: 'fair', options: { fair: true } }),
  deadboltRedlock(),
  redlockV5('defaults'),
  redlockV4('defaults'),
  redisSemaphore,
  redlockUniversal('defaults'),
  simpleRedisMutex,
  redlockV5('retry 10 ms'),
  redlockV4('retry 10 ms'),
  redlockUniversal('retry 10 ms'),
];

/** The floor every ratio is taken against: raw commands on ioredis. */
export const FLOOR_ID = 'floor';
/** The notified reference: broadcast wake-up at its best. */
export const NOTIFIED_ID = 'notified';
/** deadbolt's default mode (barging) and its fair mode, compared in the fairness section. */
export const DEADBOLT_ID = 'deadbolt-ioredis';
export const DEADBOLT_FAIR_ID = 'deadbolt-fair-ioredis';
