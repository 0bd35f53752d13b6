import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REGISTRY_ENV, reapLeakedServers, startRedisServer } from '../src/index.js';
import { isProcessGone } from '../src/process-probe.js';
import { readRegistry } from '../src/server-registry.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const leakyChild = fileURLToPath(new URL('./fixtures/leaky-child.ts', import.meta.url));

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempRegistry(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deadbolt-testkit-test-registry-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Resolves the first line the child writes to stdout. */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no output in ${timeoutMs} ms: ${err}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, end));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before reporting: ${err}`));
    });
  });
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Leak {
  child: ChildProcess;
  childExited: Promise<NodeJS.Signals | null>;
  server: { pid: number; port: number; dir: string };
}

/** Runs the leaky child with its own registry and waits until it reports its server. */
async function startLeakyChild(registry: string, mode: 'wait' | 'return' | 'throw'): Promise<Leak> {
  const child = spawn(process.execPath, ['--import', 'tsx', leakyChild, mode], {
    cwd: packageDir,
    env: { ...process.env, [REGISTRY_ENV]: registry },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const childExited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await childExited;
  });
  const server = JSON.parse(await firstLine(child, 30_000)) as Leak['server'];
  // Safety net should an assertion fail before the reaper runs: only ever this exact pid.
  cleanups.push(() => {
    if (!isProcessGone(server.pid)) process.kill(server.pid, 'SIGKILL');
  });
  return { child, childExited, server };
}

describe('reapLeakedServers', () => {
  it('finds and kills the server of a worker that was SIGKILLed', async () => {
    const registry = tempRegistry();
    const { child, childExited, server } = await startLeakyChild(registry, 'wait');

    child.kill('SIGKILL');
    await childExited;

    // The worker died without cleaning up: its server still runs and is still listed.
    expect(isProcessGone(server.pid)).toBe(false);
    expect(readRegistry(registry)).toEqual([{ ...server, owner: child.pid }]);

    const reaped = await reapLeakedServers(registry);
    expect(reaped).toEqual([{ ...server, owner: child.pid, found: 'running' }]);
    await waitUntil('the leaked server to be gone', () => isProcessGone(server.pid));
    expect(readRegistry(registry)).toEqual([]);
    expect(existsSync(server.dir)).toBe(false);
  });

  it('reports a server that only the exit handler killed (process ended normally)', async () => {
    const registry = tempRegistry();
    const { child, childExited, server } = await startLeakyChild(registry, 'return');

    // Servers do not keep the process alive; its exit handler kills them.
    expect(await childExited).toBeNull();
    expect(child.exitCode).toBe(0);
    await waitUntil('the server to be gone', () => isProcessGone(server.pid));
    expect(existsSync(server.dir)).toBe(false);
    expect(readRegistry(registry)).toEqual([{ ...server, owner: child.pid, killedAtExit: true }]);

    const reaped = await reapLeakedServers(registry);
    expect(reaped).toEqual([
      { ...server, owner: child.pid, killedAtExit: true, found: 'killed-at-exit' },
    ]);
    expect(readRegistry(registry)).toEqual([]);
  });

  it('kills the servers of a process ended by SIGTERM, which still dies of it', async () => {
    const registry = tempRegistry();
    const { child, childExited, server } = await startLeakyChild(registry, 'wait');

    child.kill('SIGTERM');
    expect(await childExited).toBe('SIGTERM');
    await waitUntil('the server to be gone', () => isProcessGone(server.pid));
    expect(readRegistry(registry)).toEqual([{ ...server, owner: child.pid, killedAtExit: true }]);
    expect((await reapLeakedServers(registry)).map((leak) => leak.found)).toEqual([
      'killed-at-exit',
    ]);
  });

  it('kills the servers of a process that crashes on an uncaught exception', async () => {
    const registry = tempRegistry();
    const { child, childExited, server } = await startLeakyChild(registry, 'throw');

    await childExited;
    expect(child.exitCode).toBe(1);
    await waitUntil('the server to be gone', () => isProcessGone(server.pid));
    expect(readRegistry(registry)).toEqual([{ ...server, owner: child.pid, killedAtExit: true }]);
  });

  it('kills a leaked server even while it is paused', async () => {
    const registry = tempRegistry();
    const previous = process.env[REGISTRY_ENV];
    process.env[REGISTRY_ENV] = registry;
    const server = await startRedisServer().finally(() => {
      process.env[REGISTRY_ENV] = previous;
    });
    cleanups.push(() => server.stop());
    const pid = server.pid!;
    await server.pause();

    const reaped = await reapLeakedServers(registry);
    expect(reaped.map((entry) => entry.pid)).toEqual([pid]);
    await waitUntil('the paused server to be gone', () => server.state === 'stopped');
  });

  it('never signals a pid that is not a redis-server on the recorded port', async () => {
    const registry = tempRegistry();
    // A pid reused by some other program.
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    const sleeperExited = new Promise((resolve) => sleeper.once('exit', resolve));
    cleanups.push(async () => {
      sleeper.kill('SIGKILL');
      await sleeperExited;
    });
    // A pid reused by another redis-server, on another port.
    const other = await startRedisServer();
    cleanups.push(() => other.stop());
    for (const pid of [sleeper.pid!, other.pid!]) {
      const entry = { pid, port: other.port + 1, dir: '/tmp/not-ours', owner: 1 };
      writeFileSync(join(registry, String(pid)), JSON.stringify(entry));
    }
    writeFileSync(join(registry, '999999999'), 'not json');

    expect(await reapLeakedServers(registry)).toEqual([]);
    expect(isProcessGone(sleeper.pid!)).toBe(false);
    expect(other.state).toBe('running');
    expect(await other.command('PING')).toBe('PONG');
  });
});
