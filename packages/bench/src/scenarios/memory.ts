import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Implementation } from '../implementations/lock-client.js';
import type { MemoryResult } from '../results.js';
import type { ScenarioContext } from './scenario-context.js';

const probe = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the probe in a fresh Node.js process and reads its one JSON line. */
function runProbe(ctx: ScenarioContext, impl: Implementation): Promise<MemoryResult> {
  const { locks, ttl, holdMs } = ctx.config.memory;
  // biome-ignore format: one flag and its value per line
  const args = [
    '--expose-gc', '--import', 'tsx', probe,
    '--impl', impl.id,
    '--port', String(ctx.single.port),
    '--locks', String(locks),
    '--ttl', String(ttl),
    '--hold-ms', String(holdMs),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    const failed = (error: string): MemoryResult => ({
      id: impl.id,
      locks,
      held: 0,
      heapPerLock: Number.NaN,
      handlesPerLock: Number.NaN,
      growthBytes: Number.NaN,
      heapSamples: [],
      leftBytes: Number.NaN,
      leftHandles: Number.NaN,
      passGrowthBytes: Number.NaN,
      extensions: undefined,
      lost: undefined,
      acquireMs: Number.NaN,
      gcMaxMs: Number.NaN,
      error,
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), 2 * holdMs + 120_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as MemoryResult);
      } catch {
        resolve(failed(`probe exited with ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`));
      }
    });
  });
}

/**
 * Scenario 6: heap and active handles of one process holding `locks` locks with
 * auto-extension on, per held lock, and whether the heap grows while they are held.
 */
export async function runMemory(
  ctx: ScenarioContext,
  impls: readonly Implementation[],
): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  for (const impl of impls) {
    ctx.log(`memory: ${impl.label}`);
    results.push(await runProbe(ctx, impl));
  }
  return results;
}
