/**
 * One worker process of the ledger demo (part one). It is started by `ledger.ts` with a JSON
 * argument, connects, prints `ready`, and waits for `go` on stdin so that every worker starts
 * depositing at the same moment. Each deposit reads the balance, does a little work, and
 * writes the balance back plus one: the read-modify-write that loses updates when two
 * processes interleave. It prints `progress <n>` now and then and one JSON result line at the
 * end. It exits on its own if the parent goes away (stdin closes).
 */
import { createInterface } from 'node:readline';
import { createLocks } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

export interface WorkerArgs {
  readonly url: string;
  readonly locked: boolean;
  readonly deposits: number;
  readonly balanceKey: string;
  readonly lockName: string;
  readonly prefix: string;
}

export interface WorkerResult {
  readonly acquisitions: number;
  /** How long each acquisition waited, in ms (from deadbolt's `acquired` events). */
  readonly waits: number[];
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const redis = new Redis(args.url, { maxRetriesPerRequest: 1 });
const waits: number[] = [];
const locks = createLocks(redis, {
  prefix: args.prefix,
  onEvent: (event) => {
    if (event.type === 'acquired') waits.push(event.durationMs ?? 0);
  },
});

async function deposit(): Promise<void> {
  const balance = Number(await redis.get(args.balanceKey));
  await redis.ping(); // the work between reading and writing, where another writer slips in
  await redis.set(args.balanceKey, String(balance + 1));
}

const input = createInterface({ input: process.stdin });
input.on('close', () => process.exit(1)); // the demo is gone: nobody wants our result
await redis.ping();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => input.once('line', () => resolve()));

for (let i = 1; i <= args.deposits; i++) {
  if (args.locked) {
    await locks.withLock(args.lockName, deposit, { ttl: 5_000, wait: 60_000 });
  } else {
    await deposit();
  }
  if (i % 10 === 0) process.stdout.write(`progress ${i}\n`);
}

const result: WorkerResult = { acquisitions: waits.length, waits };
await locks.close();
redis.disconnect();
input.removeAllListeners('close');
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
