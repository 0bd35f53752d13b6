/**
 * Part one: several worker processes deposit into one ledger balance, first without a lock
 * (updates get lost), then each deposit inside `withLock` (none do).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { WorkerArgs, WorkerResult } from './ledger-worker.js';
import { heading, ms, Progress, percentile, print, style, table } from './terminal.js';

const workerFile = fileURLToPath(new URL('./ledger-worker.ts', import.meta.url));

/** Child processes still running, so that Ctrl-C can end them. */
export const runningWorkers = new Set<ChildProcess>();

interface RunSummary {
  readonly label: string;
  readonly expected: number;
  readonly actual: number;
  readonly acquisitions: number | undefined;
  readonly waits: number[];
  readonly elapsedMs: number;
}

export interface LedgerOptions {
  readonly url: string;
  readonly workers: number;
  readonly depositsPerWorker: number;
}

export async function runLedger(
  options: LedgerOptions,
): Promise<{ lostWithout: number; lostWithLock: number }> {
  const { workers, depositsPerWorker } = options;
  heading(
    `Part one: a ledger balance, ${workers} worker processes, ${depositsPerWorker} deposits each`,
  );
  print(
    '  Each deposit reads the balance, works a moment, and writes balance + 1. Every worker is a',
  );
  print('  separate Node.js process with its own Redis connection, as in production.');
  print();

  const run = randomBytes(4).toString('hex');
  const prefix = 'deadbolt-demo:';
  const balanceKey = `${prefix}balance:${run}`;
  const lockName = `ledger:${run}`;
  const admin = new Redis(options.url, { maxRetriesPerRequest: 1 });
  const summaries: RunSummary[] = [];
  try {
    for (const locked of [false, true]) {
      await admin.set(balanceKey, '0');
      const label = locked ? 'with withLock' : 'without a lock';
      const { results, elapsedMs } = await runWorkers(
        { url: options.url, locked, deposits: depositsPerWorker, balanceKey, lockName, prefix },
        workers,
        label,
      );
      summaries.push({
        label,
        expected: workers * depositsPerWorker,
        actual: Number(await admin.get(balanceKey)),
        acquisitions: locked ? results.reduce((sum, r) => sum + r.acquisitions, 0) : undefined,
        waits: results.flatMap((r) => r.waits),
        elapsedMs,
      });
    }
  } finally {
    // Leave nothing behind on a server we were given.
    await admin
      .del(balanceKey, `${prefix}{${lockName}}`, `${prefix}{${lockName}}:fence`)
      .catch(() => 0);
    admin.disconnect();
  }

  print();
  table(
    [
      { header: 'run' },
      { header: 'expected', align: 'right' },
      { header: 'actual', align: 'right' },
      { header: 'lost updates', align: 'right' },
      { header: 'acquisitions', align: 'right' },
      { header: 'wait p50', align: 'right' },
      { header: 'wait p99', align: 'right' },
      { header: 'time', align: 'right' },
    ],
    summaries.map((s) => {
      const lost = s.expected - s.actual;
      const locked = s.acquisitions !== undefined;
      return [
        s.label,
        String(s.expected),
        String(s.actual),
        lost === 0 ? style.green('0') : style.red(String(lost)),
        locked ? String(s.acquisitions) : '–',
        locked ? ms(percentile(s.waits, 50)) : '–',
        locked ? ms(percentile(s.waits, 99)) : '–',
        ms(s.elapsedMs),
      ];
    }),
  );
  const [without, withLock] = summaries;
  const lostWithout = without!.expected - without!.actual;
  print();
  print(
    `  Without a lock, ${style.red(`${lostWithout} of ${without!.expected} deposits were lost`)}: two workers read the same`,
  );
  print(
    `  balance and the second write overwrote the first. With withLock, ${
      withLock!.expected === withLock!.actual
        ? style.green('every deposit counted')
        : style.red('deposits were lost')
    }.`,
  );
  print('  The wait columns are how long an acquisition waited for the lock: a waiter is woken by');
  print('  the release message, not by polling.');
  return { lostWithout, lostWithLock: withLock!.expected - withLock!.actual };
}

/** Starts the workers, releases them at the same moment, and collects their results. */
async function runWorkers(
  args: WorkerArgs,
  count: number,
  label: string,
): Promise<{ results: WorkerResult[]; elapsedMs: number }> {
  const total = count * args.deposits;
  const progress = new Progress(`${label}`, total);
  const done = new Array<number>(count).fill(0);
  const ready: Promise<void>[] = [];
  const results: Promise<WorkerResult>[] = [];
  const children: ChildProcess[] = [];

  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', workerFile, JSON.stringify(args)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    runningWorkers.add(child);
    const lines = createInterface({ input: child.stdout! });
    let result: WorkerResult | undefined;
    ready.push(
      new Promise((resolve, reject) => {
        lines.on('line', (line) => {
          if (line === 'ready') resolve();
          else if (line.startsWith('progress ')) {
            done[i] = Number(line.slice('progress '.length));
            progress.update(done.reduce((a, b) => a + b, 0));
          } else if (line.startsWith('{')) result = JSON.parse(line) as WorkerResult;
        });
        child.once('exit', () => reject(new Error(`worker ${i} exited before it was ready`)));
      }),
    );
    results.push(
      new Promise((resolve, reject) => {
        child.once('exit', (code) => {
          runningWorkers.delete(child);
          if (code === 0 && result !== undefined) resolve(result);
          else reject(new Error(`ledger worker ${i} exited with code ${code}`));
        });
      }),
    );
  }
  // Observed below; without these a worker that dies early would also be an unhandled rejection.
  for (const promise of [...ready, ...results]) promise.catch(() => {});
  try {
    await Promise.all(ready);
    const go = performance.now();
    for (const child of children) child.stdin!.write('go\n');
    const all = await Promise.all(results);
    const elapsedMs = performance.now() - go;
    progress.done(`${total} deposits by ${count} processes in ${ms(elapsedMs)}`);
    return { results: all, elapsedMs };
  } catch (error) {
    progress.fail(String(error));
    throw error;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
