/**
 * `pnpm demo`: deadbolt doing its job in about half a minute.
 *
 * Part one runs on REDIS_URL when it is set, otherwise on a throwaway redis-server. Part two
 * always starts 5 throwaway redis-servers, since a quorum needs independent nodes. Every
 * server and worker process this starts is stopped at the end, on an error and on Ctrl-C.
 */
import { type RedisServer, startRedisServer, startRedisServers } from '@deadbolt/testkit';
import { runLedger, runningWorkers } from './ledger.js';
import { runQuorum } from './quorum.js';
import { ms, print, style } from './terminal.js';

const WORKERS = 4;
const DEPOSITS_PER_WORKER = 100;

const started: RedisServer[] = [];

function onSignal(signal: NodeJS.Signals): void {
  for (const child of runningWorkers) child.kill('SIGKILL');
  // Exiting runs the testkit's exit handler, which kills every redis-server we started.
  print();
  print(style.yellow(`Interrupted (${signal}): stopping the worker processes and redis-servers.`));
  process.exit(130);
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

/** `redis://user:***@host:port`: never print a password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(REDIS_URL is not a URL)';
  }
}

async function stopAll(): Promise<void> {
  const results = await Promise.allSettled(started.map((server) => server.stop()));
  for (const result of results) {
    if (result.status === 'rejected')
      print(style.red(`could not stop a redis-server: ${result.reason}`));
  }
}

async function main(): Promise<number> {
  const begin = performance.now();
  print(style.bold('deadbolt demo') + style.dim(' · distributed locks for Node.js on Redis'));

  const redisUrl = process.env.REDIS_URL;
  let ledgerUrl: string;
  if (redisUrl !== undefined && redisUrl !== '') {
    ledgerUrl = redisUrl;
    print(`  Part one uses REDIS_URL: ${describeUrl(redisUrl)} (its keys are deleted afterwards).`);
  } else {
    const server = await startRedisServer();
    started.push(server);
    ledgerUrl = server.url;
    print(
      `  No REDIS_URL set: part one uses a throwaway redis-server on ${server.url} (pid ${server.pid}).`,
    );
  }
  print(
    '  Part two always starts 5 throwaway redis-servers: a Redlock quorum needs independent nodes.',
  );

  const ledger = await runLedger({
    url: ledgerUrl,
    workers: WORKERS,
    depositsPerWorker: DEPOSITS_PER_WORKER,
  });

  const nodes = await startRedisServers(5);
  started.push(...nodes);
  const quorum = await runQuorum(nodes);

  const pids = started.map((server) => server.pid);
  await stopAll();
  const alive = pids.filter((pid) => pid !== undefined && isAlive(pid));
  print();
  print(
    `  Stopped ${started.length} redis-server${started.length === 1 ? '' : 's'} (pids ${pids.join(', ')})` +
      (alive.length === 0
        ? '; none is left running.'
        : style.red(`; still running: ${alive.join(', ')}`)),
  );
  print(style.dim(`  Done in ${ms(performance.now() - begin)}.`));

  // What the demo exists to show; anything else is a bug worth a non-zero exit.
  const ok = ledger.lostWithLock === 0 && quorum.quorumError && alive.length === 0;
  return ok ? 0 : 1;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  print();
  print(
    style.red(
      `The demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ),
  );
  for (const child of runningWorkers) child.kill('SIGKILL');
  await stopAll();
  process.exitCode = 1;
}
