import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useRedisServers } from '@deadbolt/testkit/vitest';
import { describe, expect, it } from 'vitest';

const worker = fileURLToPath(new URL('./fixtures/exclusion-worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface WorkerReport {
  pid: number;
  intervals: [string, string][];
}

function runWorker(args: object): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, JSON.stringify(args)], {
      cwd: packageDir,
      // tsx resolves @deadbolt/* to the sources through the package's tsconfig paths.
      env: { ...process.env, TSX_TSCONFIG_PATH: `${packageDir}tsconfig.json` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as WorkerReport);
    });
  });
}

describe('mutual exclusion across OS processes · 5 nodes', () => {
  // 5 quorum nodes and a separate server for the shared counter.
  const handle = useRedisServers(6);

  it('never lets two processes hold the lock at once, even while a minority of nodes fails', async () => {
    const servers = handle.servers;
    const nodes = servers.slice(0, 5);
    const counterServer = servers[5]!;
    const processes = 4;
    const rounds = 25;
    const args = {
      ports: nodes.map((s) => s.port),
      counterPort: counterServer.port,
      name: `exclusion:${Date.now()}`,
      rounds,
    };
    // Half the processes wait for wake-ups in withLock, half retry tryAcquire at random.
    const reports = Promise.all(
      Array.from({ length: processes }, (_, i) => runWorker({ ...args, spin: i % 2 === 1 })),
    );

    // Faults while the workers run: one node stopped, another crashing and restarting empty.
    // Together they stay a minority, so mutual exclusion must hold throughout.
    let faults = true;
    const faultLoop = (async () => {
      while (faults) {
        await nodes[4]!.pause();
        await new Promise((resolve) => setTimeout(resolve, 150));
        await nodes[4]!.resume();
        await nodes[3]!.kill();
        await nodes[3]!.restart({ empty: true });
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    let results: WorkerReport[];
    try {
      results = await reports;
    } finally {
      faults = false;
      await faultLoop;
    }

    const intervals = results
      .flatMap((r) =>
        r.intervals.map(([enter, exit]) => ({
          pid: r.pid,
          enter: BigInt(enter),
          exit: BigInt(exit),
        })),
      )
      .sort((a, b) => (a.enter < b.enter ? -1 : a.enter > b.enter ? 1 : 0));
    expect(intervals).toHaveLength(processes * rounds);
    for (let i = 1; i < intervals.length; i++) {
      const previous = intervals[i - 1]!;
      const current = intervals[i]!;
      expect(
        current.enter > previous.exit,
        `pid ${current.pid} entered before pid ${previous.pid} left`,
      ).toBe(true);
    }
    // More than one process took turns.
    expect(new Set(intervals.map((i) => i.pid)).size).toBe(processes);
    // No lost update on the unprotected read-modify-write.
    expect(await counterServer.command('GET', 'counter')).toBe(String(processes * rounds));
  }, 60_000);
});
