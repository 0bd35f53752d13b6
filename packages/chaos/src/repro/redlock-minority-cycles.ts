/**
 * Throughput of contending processes while one of 5 redlock nodes fails over and over, next
 * to the same processes with all nodes up, in one run: what the design promises (at least 90%
 * of the no-fault throughput with a minority down). Not part of `pnpm test:chaos`.
 *
 *   node --import tsx packages/chaos/src/repro/redlock-minority-cycles.ts 4 [kill|pause] [ms]
 *
 * N processes (default 4) take one lock in a loop through redlock over 5 nodes, as in
 * `redlock-minority-contention.ts`. After a warm-up (the processes run slower for their first
 * seconds, faults or not, so the warm-up is not counted), 4 cycles follow: 3 s with every node
 * up, then 3 s with node 0 killed (restarted empty at the end) or paused (resumed at the end).
 * Healthy and faulty phases alternate, so the noise of a busy machine hits both alike. Prints
 * the acquisitions per second of all processes, per phase and overall, and their ratio.
 *
 * The clients reconnect with ioredis's default backoff, or every `ms` when given (the redlock
 * tests use 20, so that a restarted node rejoins at once; each attempt costs CPU in every
 * contender, see `connect-redlock.ts`).
 */
import { fork } from 'node:child_process';
import { startRedisServers } from '@deadbolt/testkit';
import { connectRedlock } from './connect-redlock.js';

const WARM_UP = 8;
const PHASE = 3;
const CYCLES = 4;
const TOTAL = WARM_UP + 2 * PHASE * CYCLES;

if (process.argv[2] === 'child') {
  const ports = JSON.parse(process.argv[3]!) as number[];
  const started = Number(process.argv[4]);
  const reconnectEveryMs = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
  const { locks, close } = connectRedlock(ports, reconnectEveryMs);
  const acquiredAt: number[] = [];
  const errors: string[] = [];
  while (Date.now() - started < TOTAL * 1000) {
    try {
      await locks.withLock('contended', () => new Promise((r) => setTimeout(r, 2)));
      acquiredAt.push(Date.now() - started);
    } catch (error) {
      errors.push(
        `${((Date.now() - started) / 1000).toFixed(1)} s ${(error as Error).message.slice(0, 200)}`,
      );
    }
  }
  await close();
  process.send!({ acquiredAt, errors }, () => process.disconnect());
} else {
  const contenders = Number(process.argv[2] ?? 4);
  const fault = process.argv[3] === 'pause' ? 'pause' : 'kill';
  const reconnectEveryMs = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
  const servers = await startRedisServers(5);
  const node = servers[0]!;
  const started = Date.now() + 1_500; // time for the children to start
  const results = Array.from({ length: contenders }, () => {
    const child = fork(
      process.argv[1]!,
      [
        'child',
        JSON.stringify(servers.map((s) => s.port)),
        String(started),
        ...(reconnectEveryMs === undefined ? [] : [String(reconnectEveryMs)]),
      ],
      { execArgv: ['--import', 'tsx'] },
    );
    return new Promise<{ acquiredAt: number[]; errors: string[] }>((resolve) =>
      child.once('message', resolve as never),
    );
  });
  const at = (s: number) => new Promise((r) => setTimeout(r, started + s * 1000 - Date.now()));
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await at(WARM_UP + (2 * cycle + 1) * PHASE);
    await (fault === 'kill' ? node.kill() : node.pause());
    await at(WARM_UP + (2 * cycle + 2) * PHASE);
    await (fault === 'kill' ? node.restart() : node.resume());
  }
  const all = await Promise.all(results);
  await Promise.all(servers.map((s) => s.stop()));
  const times = all.flatMap((r) => r.acquiredAt);
  const rate = (from: number, to: number) =>
    times.filter((t) => t >= from * 1000 && t < to * 1000).length / (to - from);
  const perSecond = Array.from({ length: TOTAL }, (_, s) => rate(s, s + 1));
  const phases = Array.from({ length: CYCLES }, (_, cycle) => {
    const healthy = WARM_UP + 2 * cycle * PHASE;
    return [rate(healthy, healthy + PHASE), rate(healthy + PHASE, healthy + 2 * PHASE)];
  });
  const healthy = phases.reduce((sum, [h]) => sum + h!, 0) / CYCLES;
  const faulty = phases.reduce((sum, [, f]) => sum + f!, 0) / CYCLES;
  console.log(
    `${contenders} processes, node 0 ${fault === 'kill' ? 'killed' : 'paused'} every ${2 * PHASE} s, ` +
      `clients reconnect ${reconnectEveryMs === undefined ? "with ioredis's default backoff" : `every ${reconnectEveryMs} ms`}`,
  );
  console.log('acquisitions per second:', perSecond.join(' '));
  console.log(
    'per cycle, healthy/fault:',
    phases.map(([h, f]) => `${h!.toFixed(0)}/${f!.toFixed(0)}`).join('  '),
  );
  console.log(
    `healthy ${healthy.toFixed(0)}/s, fault ${faulty.toFixed(0)}/s: ${(faulty / healthy).toFixed(2)} of it`,
  );
  console.log('errors:', all.flatMap((r) => r.errors).slice(0, 8));
}
