import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServerBinary } from '../find-redis-server-binary.js';
import { reapLeakedServers } from '../reap-leaked-servers.js';
import { REGISTRY_ENV } from '../server-registry.js';

/**
 * Vitest global setup (see the root `vitest.config.ts`).
 *
 * Fails the run at once when `redis-server` is missing, with the install command. Creates a
 * registry directory and exports it as `DEADBOLT_TESTKIT_REGISTRY`, which the worker
 * processes inherit; every server they start leaves its pid there until it exits.
 *
 * The returned teardown reaps the leaks (see `reapLeakedServers`): servers still running
 * (their worker died) are killed, and servers a test never stopped (only its worker's exit
 * handler killed them) are reported. It then throws, naming them, so a leak fails the run.
 */
export default function setup(): () => Promise<void> {
  findRedisServerBinary();
  const registryDir = mkdtempSync(join(tmpdir(), 'deadbolt-testkit-registry-'));
  const previous = process.env[REGISTRY_ENV];
  process.env[REGISTRY_ENV] = registryDir;

  return async function teardown(): Promise<void> {
    try {
      const leaked = await reapLeakedServers(registryDir);
      if (leaked.length > 0) {
        const list = leaked.map(
          (s) =>
            `  pid ${s.pid} (port ${s.port}, started by pid ${s.owner}): ` +
            (s.found === 'running'
              ? 'still running when the run ended (never stopped, or its worker died); killed now'
              : 'never stopped; killed when its worker process exited'),
        );
        // Vitest only logs an error thrown here ("error during close"); fail the run ourselves.
        process.exitCode = 1;
        throw new Error(
          `${leaked.length} redis-server(s) leaked. Stop every server a test starts ` +
            `(or use the helpers of @deadbolt/testkit/vitest):\n${list.join('\n')}`,
        );
      }
    } finally {
      rmSync(registryDir, { recursive: true, force: true });
      if (previous === undefined) delete process.env[REGISTRY_ENV];
      else process.env[REGISTRY_ENV] = previous;
    }
  };
}
