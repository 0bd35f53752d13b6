import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acquireScript } from './acquire-script.js';
import { cancelScript } from './cancel-script.js';
import { extendScript } from './extend-script.js';
import { inspectScript } from './inspect-script.js';
import type { RedisLikeClient } from './redis-like-client.js';
import { releaseScript } from './release-script.js';
import { runScript } from './script.js';
import { queueLeaveScript } from './waiter-queue/queue-leave-script.js';
import { queueRenewScript } from './waiter-queue/queue-renew-script.js';
import { queuedAcquireScript } from './waiter-queue/queued-acquire-script.js';
import { queuedReleaseScript } from './waiter-queue/queued-release-script.js';

const scripts = [
  acquireScript,
  releaseScript,
  extendScript,
  inspectScript,
  queuedAcquireScript,
  queuedReleaseScript,
  queueRenewScript,
  queueLeaveScript,
  cancelScript,
];

describe('scripts', () => {
  it.each(scripts.map((s) => [s.name, s] as const))(
    '%s carries the SHA-1 of its source',
    (_, s) => {
      expect(s.sha1).toBe(createHash('sha1').update(s.source).digest('hex'));
      expect(s.sha1).toMatch(/^[0-9a-f]{40}$/);
    },
  );

  it('has distinct SHAs', () => {
    expect(new Set(scripts.map((s) => s.sha1)).size).toBe(scripts.length);
  });
});

describe('runScript', () => {
  function recordingClient(evalshaError?: Error) {
    const calls: string[] = [];
    const client: RedisLikeClient = {
      async eval() {
        calls.push('eval');
        return 1;
      },
      async evalsha() {
        calls.push('evalsha');
        if (evalshaError) throw evalshaError;
        return 2;
      },
    };
    return { client, calls };
  }

  it('sends EVALSHA first', async () => {
    const { client, calls } = recordingClient();
    expect(await runScript(client, releaseScript, ['k'], ['t', 'c'])).toBe(2);
    expect(calls).toEqual(['evalsha']);
  });

  it('falls back to EVAL on NOSCRIPT', async () => {
    const { client, calls } = recordingClient(
      new Error('NOSCRIPT No matching script. Please use EVAL.'),
    );
    expect(await runScript(client, releaseScript, ['k'], ['t', 'c'])).toBe(1);
    expect(calls).toEqual(['evalsha', 'eval']);
  });

  it('passes other errors through without retrying', async () => {
    const { client, calls } = recordingClient(
      new Error("READONLY You can't write against a read only replica."),
    );
    await expect(runScript(client, releaseScript, ['k'], ['t', 'c'])).rejects.toThrow(/READONLY/);
    expect(calls).toEqual(['evalsha']);
  });
});
