/**
 * Reproduction of a redlock liveness problem the chaos suite ran into (not part of
 * `pnpm test:chaos`): N processes (default 2) take one lock in a loop through redlock over 5
 * nodes; at 3 s one node is SIGKILLed (a minority), at 9 s it is restarted. Prints the
 * acquisitions per second of all processes together and the first errors.
 *
 *   node --import tsx packages/chaos/src/repro/redlock-minority-contention.ts 2
 *
 * Seen on a 2-core machine: one process is unaffected (~300/s throughout); with 2, 3 or 4
 * processes acquisitions drop from ~150-250/s to 0 while the node is down, and every waiter
 * ends in LockTimeoutError after 40-80 attempts in 4 s. SIGSTOP or SIGTERM of one node does
 * the same. The design promises at least 90% of the no-fault throughput with a minority down.
 */
import { fork } from 'node:child_process';
import { startRedisServers } from '@deadbolt/testkit';
import { connectRedlock } from './connect-redlock.js';

if (process.argv[2] === 'child') {
  const ports = JSON.parse(process.argv[3]!) as number[];
  const started = Number(process.argv[4]);
  const { locks, close } = connectRedlock(ports);
  const perSecond: number[] = [];
  const errors: string[] = [];
  while (Date.now() - started < 12_000) {
    try {
      await locks.withLock('contended', () => new Promise((r) => setTimeout(r, 2)));
      const s = Math.floor((Date.now() - started) / 1000);
      perSecond[s] = (perSecond[s] ?? 0) + 1;
    } catch (error) {
      errors.push(
        `${((Date.now() - started) / 1000).toFixed(1)} s ${(error as Error).message.slice(0, 60)}`,
      );
    }
  }
  await close();
  process.send!({ perSecond: Array.from(perSecond, (n) => n ?? 0), errors });
  process.disconnect();
} else {
  const contenders = Number(process.argv[2] ?? 2);
  const servers = await startRedisServers(5);
  const started = Date.now() + 1_500; // time for the children to start
  const results = Array.from({ length: contenders }, () => {
    const child = fork(
      process.argv[1]!,
      ['child', JSON.stringify(servers.map((s) => s.port)), String(started)],
      {
        execArgv: ['--import', 'tsx'],
      },
    );
    return new Promise<{ perSecond: number[]; errors: string[] }>((resolve) =>
      child.once('message', resolve as never),
    );
  });
  await new Promise((r) => setTimeout(r, started + 3_000 - Date.now()));
  await servers[0]!.kill();
  console.log('3 s: node 0 of 5 SIGKILLed');
  await new Promise((r) => setTimeout(r, 6_000));
  await servers[0]!.restart();
  console.log('9 s: node 0 restarted');
  const all = await Promise.all(results);
  await Promise.all(servers.map((s) => s.stop()));
  const total = Array.from({ length: 12 }, (_, s) =>
    all.reduce((n, r) => n + (r.perSecond[s] ?? 0), 0),
  );
  console.log('acquisitions per second (all processes):', total.join(' '));
  console.log('errors:', all.flatMap((r) => r.errors).slice(0, 8));
}
