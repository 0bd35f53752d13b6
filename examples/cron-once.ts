/**
 * Run a cron job once across instances: `tryAcquire`.
 *
 * Every instance of a service has the same schedule, so at 02:00 all of them fire the nightly
 * report. Each one tries the lock once (`tryAcquire` never waits); the one that gets it runs
 * the job, the others skip. The lock's name carries the run's date, and the winner does not
 * release it: it expires with its ttl, so an instance whose timer fires a little late finds
 * the run taken instead of running it a second time.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/cron-once.ts
 */
import { createLocks, type Locks } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const url = process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// The run's date names the lock (the pid is only here so that running this example twice runs
// the job twice).
const run = `${new Date().toISOString().slice(0, 10)}-${process.pid}`;

async function nightlyReport(locks: Locks, instance: string): Promise<void> {
  const lock = await locks.tryAcquire(`cron:nightly-report:${run}`, { ttl: 60_000 });
  if (lock === null) {
    console.log(`${instance}: another instance runs it, skipping`);
    return;
  }
  console.log(`${instance}: running the nightly report (fence ${lock.fence})`);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the job itself
}

// Three instances with a connection each, firing at the same moment.
const clients = [new Redis(url), new Redis(url), new Redis(url)];
const instances = clients.map((client) => createLocks(client));
try {
  await Promise.all(instances.map((locks, i) => nightlyReport(locks, `instance ${i + 1}`)));
  // A straggler whose timer fires late still finds the run taken.
  await nightlyReport(instances[0]!, 'instance 1, fired late');
} finally {
  await Promise.all(instances.map((locks) => locks.close()));
  for (const client of clients) client.disconnect();
}
