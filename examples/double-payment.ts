/**
 * Prevent a double payment: `withLock` plus `lock.fence`.
 *
 * Two instances of a checkout service receive the same "pay order 42" request at the same
 * moment (a retried webhook, a double click). Each takes the order's lock before it charges,
 * so only one charges and the other finds the order paid. The payment record is written with
 * the lock's fencing token, and the store refuses a write whose fence is lower than one it has
 * already seen: a holder that stalled past its lock's validity (a long GC pause) and wakes up
 * later cannot overwrite the newer record.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/double-payment.ts
 */
import { createLocks, type Locks } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const url = process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const orderId = `42-${process.pid}`;
const charges: string[] = [];
let chargedWithFence = 0;

/**
 * The store the payment is recorded in, here a Redis hash written by a Lua script. Any store
 * that can compare-and-set works: keep the highest fence seen per order and refuse lower ones.
 */
const recordPayment = `
local seen = tonumber(redis.call('HGET', KEYS[1], 'fence') or '-1')
if tonumber(ARGV[1]) < seen then return 0 end
redis.call('HSET', KEYS[1], 'fence', ARGV[1], 'status', ARGV[2])
return 1`;

async function pay(locks: Locks, store: Redis, instance: string): Promise<string> {
  return locks.withLock(
    `payment:${orderId}`,
    async (lock) => {
      if ((await store.hget(`order:${orderId}`, 'status')) === 'paid') {
        return `${instance}: order already paid, nothing charged`;
      }
      charges.push(instance); // the call to the payment provider would go here
      const written = await store.eval(recordPayment, 1, `order:${orderId}`, lock.fence, 'paid');
      if (written !== 1) throw new Error(`${instance}: the store refused fence ${lock.fence}`);
      chargedWithFence = lock.fence;
      return `${instance}: charged the card (fence ${lock.fence})`;
    },
    { ttl: 10_000, wait: 5_000 },
  );
}

// Two instances: two connections and two Locks, as two processes would have.
const a = new Redis(url);
const b = new Redis(url);
const instanceA = createLocks(a);
const instanceB = createLocks(b);
try {
  const results = await Promise.all([
    pay(instanceA, a, 'instance A'),
    pay(instanceB, b, 'instance B'),
  ]);
  for (const line of results) console.log(line);
  console.log(`charged ${charges.length} time(s)`);

  // A holder that stalled with an older fence and writes late is refused by the store.
  const staleFence = chargedWithFence - 1;
  const stale = await a.eval(recordPayment, 1, `order:${orderId}`, staleFence, 'refunded');
  console.log(`late write with fence ${staleFence}: ${stale === 1 ? 'accepted' : 'refused'}`);
} finally {
  await a.del(`order:${orderId}`);
  await Promise.all([instanceA.close(), instanceB.close()]);
  a.disconnect();
  b.disconnect();
}
