/**
 * Part two: redlock over 5 independent redis-servers. Two of them are frozen (SIGSTOP: they
 * keep their sockets open and never answer, the worst kind of failure for a client) and locks
 * keep working; a third one is frozen and `acquire` fails fast with a `QuorumError` that says
 * which node did what.
 */
import { fromIoredis } from '@deadbolt/ioredis';
import { createRedlock, type Locks, QuorumError } from '@deadbolt/redlock';
import type { RedisServer } from '@deadbolt/testkit';
import { Redis } from 'ioredis';
import { heading, ms, Progress, percentile, print, style, table } from './terminal.js';

const NODES = 5;

/**
 * One ioredis client per node, set up the way redlock's README asks: commands queue while a
 * node is unreachable and are never dropped (`maxRetriesPerRequest: null`; redlock bounds
 * every call itself), so a release always follows the acquire it undoes.
 */
function connect(server: RedisServer): Redis {
  const client = new Redis({ host: server.host, port: server.port, maxRetriesPerRequest: null });
  client.on('error', () => {}); // a frozen node is expected here; redlock reports it per call
  return client;
}

/** Acquires and releases `rounds` times; the latencies of the won acquires, in ms. */
async function cycles(locks: Locks, label: string, rounds: number): Promise<number[]> {
  const progress = new Progress(label, rounds);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const lock = await locks.acquire('report', { ttl: 10_000, wait: 2_000 });
      latencies.push(performance.now() - started);
      await lock.release();
      progress.update(i + 1);
    }
  } catch (error) {
    progress.fail(error instanceof Error ? error.message : String(error));
    throw error;
  }
  progress.done(
    `${rounds}/${rounds} acquired and released, acquire p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}`,
  );
  return latencies;
}

export async function runQuorum(
  servers: readonly RedisServer[],
): Promise<{ quorumError: boolean }> {
  heading(`Part two: redlock over ${NODES} independent redis-servers (quorum 3)`);
  print(`  nodes: ${servers.map((s, i) => `#${i} :${s.port}`).join('  ')}`);
  print(
    '  A stopped node here is frozen with SIGSTOP: its socket stays open and it never answers.',
  );
  print();

  const clients = servers.map(connect);
  const locks = createRedlock(clients.map((client) => fromIoredis(client)));
  const frozen = new Set<number>();
  const freeze = async (index: number) => {
    await servers[index]!.pause();
    frozen.add(index);
  };
  let quorumError = false;
  try {
    await cycles(locks, 'all 5 nodes up', 50);

    await freeze(0);
    await freeze(1);
    await cycles(locks, 'nodes #0 and #1 stopped', 50);

    await freeze(2);
    print(`  … nodes #0, #1 and #2 stopped: acquire`);
    const started = performance.now();
    try {
      const lock = await locks.acquire('report', { ttl: 10_000, wait: 10_000 });
      await lock.release();
      print(`  ${style.red('✗')} acquire succeeded with 3 of 5 nodes stopped: that is a bug`);
    } catch (error) {
      const tookMs = performance.now() - started;
      if (!QuorumError.isInstance(error)) throw error;
      quorumError = true;
      print(
        `  ${style.green('✓')} QuorumError after ${style.bold(ms(tookMs))} (wait was 10 s: an outage is not waited out)`,
      );
      print(`    ${error.message}`);
      print();
      table(
        [
          { header: 'node' },
          { header: 'port', align: 'right' },
          { header: 'process' },
          { header: 'outcome' },
          { header: 'why' },
        ],
        error.nodes.map((report) => [
          `#${report.node}`,
          String(servers[report.node]!.port),
          frozen.has(report.node) ? style.yellow('stopped (SIGSTOP)') : 'running',
          report.outcome === 'acquired' ? style.green(report.outcome) : style.red(report.outcome),
          report.outcome === 'acquired'
            ? 'granted our token; given back, since 2 of 5 is no quorum'
            : report.error instanceof Error
              ? report.error.message
              : String(report.error),
        ]),
      );
      print();
      print(
        `  Why: a lock needs ${error.quorum} of ${error.nodes.length} nodes and only ${
          error.nodes.length - frozen.size
        } answered, so nobody can win it until a node comes`,
      );
      print(
        '  back and waiting would not help. Each node gets nodeTimeout (100 ms) per call, so the outage',
      );
      print(
        "  is reported at once instead of being retried for the whole wait. Contention (outcome 'held':",
      );
      print("  nodes that answered but hold another owner's token) is waited out, up to wait.");
    }

    for (const index of [...frozen]) {
      await servers[index]!.resume();
      frozen.delete(index);
    }
    print();
    await cycles(locks, 'all 5 nodes resumed', 20);
  } finally {
    await locks.close();
    for (const index of frozen) await servers[index]!.resume().catch(() => {});
    for (const client of clients) client.disconnect();
  }
  return { quorumError };
}
