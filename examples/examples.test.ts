/**
 * Smoke-runs every example as its own process, the way the README tells users to run them
 * (`node --import tsx examples/<file>.ts`), against throwaway redis-servers. The examples run on
 * the packages' sources (tsconfig.sources.json), as the rest of the test suite does, so this
 * needs no build. Each one must exit 0 and print what it is there to show; no timing is checked.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useRedisServer, useRedisServers } from '@deadbolt/testkit/vitest';
import { describe, expect, it } from 'vitest';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runExample(file: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', here(file)], {
      env: { ...process.env, ...env, TSX_TSCONFIG_PATH: here('./tsconfig.sources.json') },
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
    // Generous: the machine is small and shared. An example that hangs fails here.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function expectRun(file: string, env: Record<string, string>): Promise<string> {
  const run = await runExample(file, env);
  expect(run.code, `${file} exited with ${run.code}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

describe('examples on one server', () => {
  const redis = useRedisServer();
  const env = () => ({ REDIS_URL: redis.server.url });

  it('double-payment.ts charges once and the store refuses a stale fence', async () => {
    const out = await expectRun('./double-payment.ts', env());
    expect(out).toContain('charged 1 time(s)');
    expect(out).toContain('order already paid, nothing charged');
    expect(out).toMatch(/late write with fence -?\d+: refused/);
  });

  it('cron-once.ts runs the job on exactly one instance', async () => {
    const out = await expectRun('./cron-once.ts', env());
    expect(out.match(/running the nightly report/g)).toHaveLength(1);
    expect(out.match(/skipping/g)).toHaveLength(3);
  });

  it('long-export.ts outlives its ttl by auto-extension, then stops when the lock is lost', async () => {
    const out = await expectRun('./long-export.ts', env());
    expect(out).toContain('chunk 8 written');
    expect(out).not.toContain('chunk 20 written');
    expect(out).toMatch(/export stopped: Lock ".*" was lost \(released-elsewhere\)/);
  });

  it('profile-update.ts keeps every field of every user', async () => {
    const out = await expectRun('./profile-update.ts', env());
    expect(out.match(/5 of 5 fields kept/g)).toHaveLength(3);
  });

  it.each([
    ['adapter-ioredis.ts', 'ioredis'],
    ['adapter-node-redis.ts', 'node-redis'],
    ['adapter-solidis.ts', 'solidis (stand-in)'],
  ])('%s locks through its client', async (file, label) => {
    const out = await expectRun(`./${file}`, env());
    expect(out).toContain(`${label}: holding deadbolt:{adapter-demo:`);
    expect(out).toContain('a second try got null');
    expect(out).toContain(`${label}: withLock returned 2, lock free again: true`);
  });
});

describe('examples on three servers', () => {
  const quorum = useRedisServers(3);

  it('redlock-3-nodes.ts holds a lock on a quorum of mixed clients', async () => {
    const out = await expectRun('./redlock-3-nodes.ts', {
      REDIS_URLS: quorum.servers.map((server) => server.url).join(','),
    });
    expect(out).toMatch(/held on a quorum of 3 nodes, fence \d+/);
    expect(out).toContain('isLocked while held: true');
    expect(out).toContain('isLocked after withLock: false');
  });
});
