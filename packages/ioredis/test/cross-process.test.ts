import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { useRedisServer, useRedisServers } from '@deadbolt/testkit/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocks } from '../src/index.js';

const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
const children: ChildProcess[] = [];

function runNode(file: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture(file), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

async function output(child: ChildProcess): Promise<string> {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  return text;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('across OS processes', () => {
  const servers = useRedisServers(2);

  it('never lets two processes hold the lock at once, and no update is lost', async () => {
    const [lockServer, counterServer] = servers.servers;
    const workers = 4;
    const iterations = 40;
    const outputs = await Promise.all(
      Array.from({ length: workers }, () =>
        output(
          runNode('mutex-worker.ts', [
            String(lockServer!.port),
            String(counterServer!.port),
            'ledger',
            String(iterations),
          ]),
        ),
      ),
    );
    const intervals = outputs
      .flatMap((text) => text.trim().split('\n'))
      .map((line) => JSON.parse(line) as { enter: string; exit: string })
      .map(({ enter, exit }) => ({ enter: BigInt(enter), exit: BigInt(exit) }))
      .sort((a, b) => (a.enter < b.enter ? -1 : 1));
    expect(intervals).toHaveLength(workers * iterations);
    for (let i = 1; i < intervals.length; i++) {
      expect(intervals[i]!.enter > intervals[i - 1]!.exit, `overlap at section ${i}`).toBe(true);
    }
    const store = new Redis({ host: '127.0.0.1', port: counterServer!.port });
    expect(Number(await store.get('counter'))).toBe(workers * iterations);
    store.disconnect();
  });
});

describe('a holder that dies', () => {
  const redis = useRedisServer();

  it('is replaced within its ttl plus a small margin', async () => {
    const ttl = 1_000;
    const holder = runNode('abandoning-holder.ts', [String(redis.server.port), 'job', String(ttl)]);
    const [line] = (await once(holder.stdout!, 'data')) as [Buffer];
    expect(line.toString()).toMatch(/^held \d+/);
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port });
    const locks = createLocks(client);
    try {
      holder.kill('SIGKILL');
      const killedAt = performance.now();
      const lock = await locks.acquire('job', { wait: 10_000 });
      const waited = performance.now() - killedAt;
      expect(waited).toBeLessThan(ttl + 1_500);
      expect(lock.fence).toBe(Number(line.toString().split(' ')[1]) + 1);
      await lock.release();
    } finally {
      await locks.close();
      client.disconnect();
    }
  });
});
