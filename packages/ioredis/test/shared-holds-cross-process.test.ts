import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@deadbolt/testkit/vitest';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocks } from '../src/index.js';

const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
const children: ChildProcess[] = [];
const clients: Redis[] = [];

function runNode(file: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture(file), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

interface Hold {
  kind: string;
  enter: bigint;
  exit: bigint;
}

async function holdsOf(child: ChildProcess): Promise<Hold[]> {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; enter: string; exit: string })
    .map((h) => ({ kind: h.kind, enter: BigInt(h.enter), exit: BigInt(h.exit) }));
}

/** The most holds open at one instant (a sweep over enter/exit events). */
function maxConcurrent(holds: Hold[]): number {
  const events = holds.flatMap((h) => [
    { at: h.enter, delta: 1 },
    { at: h.exit, delta: -1 },
  ]);
  // At equal times count exits first: touching intervals do not overlap.
  events.sort((a, b) => (a.at === b.at ? a.delta - b.delta : a.at < b.at ? -1 : 1));
  let open = 0;
  let most = 0;
  for (const e of events) {
    open += e.delta;
    most = Math.max(most, open);
  }
  return most;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const client of clients.splice(0)) client.disconnect();
});

describe('shared holds across OS processes', () => {
  const redis = useRedisServer();

  it('never lets more than limit processes hold a semaphore at once', async () => {
    const limit = 2;
    const all = await Promise.all(
      Array.from({ length: 4 }, () =>
        holdsOf(
          runNode('shared-hold-worker.ts', [
            String(redis.server.port),
            'semaphore',
            'pool',
            '30',
            String(limit),
          ]),
        ),
      ),
    );
    const holds = all.flat();
    expect(holds).toHaveLength(120);
    expect(maxConcurrent(holds)).toBeLessThanOrEqual(limit);
    // And the limit was actually used: permits did overlap.
    expect(maxConcurrent(holds)).toBe(limit);
  });

  it('never lets a writer overlap a reader or another writer', async () => {
    const all = await Promise.all(
      Array.from({ length: 4 }, () =>
        holdsOf(
          runNode('shared-hold-worker.ts', [String(redis.server.port), 'rw', 'ledger', '40']),
        ),
      ),
    );
    const holds = all.flat();
    const writes = holds.filter((h) => h.kind === 'write');
    expect(writes.length).toBe(40);
    for (const w of writes) {
      const overlapping = holds.filter((h) => h !== w && h.enter < w.exit && w.enter < h.exit);
      expect(overlapping, 'a hold overlapping a write').toEqual([]);
    }
    // Readers did share: some reads overlapped each other.
    expect(maxConcurrent(holds.filter((h) => h.kind === 'read'))).toBeGreaterThan(1);
  });

  it("reclaims a crashed holder's permit after its ttl", async () => {
    const ttl = 1_000;
    const holder = runNode('abandoning-permit-holder.ts', [
      String(redis.server.port),
      'crashy',
      String(ttl),
    ]);
    const [line] = (await once(holder.stdout!, 'data')) as [Buffer];
    expect(line.toString()).toMatch(/^held/);
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port });
    clients.push(client);
    const locks = createLocks(client);
    holder.kill('SIGKILL');
    const killedAt = performance.now();
    const permit = await locks.semaphore('crashy', { limit: 1 }).acquire({ wait: 10_000 });
    expect(performance.now() - killedAt).toBeLessThan(ttl + 1_500);
    await permit.release();
    await locks.close();
  });

  it('lets a writer in within a bound while readers stream in without a gap', async () => {
    const client = new Redis({ host: '127.0.0.1', port: redis.server.port });
    clients.push(client);
    const locks = createLocks(client);
    const rw = () => locks.readWrite('report');
    let streaming = true;
    // Six readers in a loop, staggered over one hold time: at every instant several hold a
    // read, so without writer preference there is never a moment with no reader and the
    // writer would wait until its `wait` ran out.
    const readers = [0, 1, 2, 3, 4, 5].map(async (i) => {
      await new Promise((r) => setTimeout(r, i * 20));
      while (streaming) await rw().withRead(() => new Promise((r) => setTimeout(r, 120)));
    });
    await new Promise((r) => setTimeout(r, 200));
    const asked = performance.now();
    const write = await rw().write({ wait: 10_000 });
    const waited = performance.now() - asked;
    await write.release();
    streaming = false;
    await Promise.all(readers);
    // Stated bound: the longest read hold in progress (120 ms here) plus a wake-up; we allow
    // generous slack for a loaded machine, far below the 10 s wait.
    expect(waited).toBeLessThan(2_000);
    await locks.close();
  });
});
