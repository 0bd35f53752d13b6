import type { Implementation } from '../implementations/lock-client.js';
import { commandDelta, readCommandStats, totalCommands } from '../measure/command-stats.js';
import { roundOrder } from '../measure/interleave.js';
import type { Series } from '../results.js';
import {
  closeAll,
  errorsOf,
  noteError,
  openEach,
  type ScenarioContext,
} from './scenario-context.js';

/**
 * Scenario 2: `inFlight` acquire + release loops at once, each on its own key, through one
 * client per implementation. Figure: cycles per second (and commands per cycle).
 */
export async function runConcurrent(
  ctx: ScenarioContext,
  impls: readonly Implementation[],
): Promise<Series[]> {
  const { rounds, inFlight, cycles } = ctx.config.concurrent;
  const { ttl } = ctx.config;
  const perLoop = Math.max(1, Math.round(cycles / inFlight));
  const errors = new Map<string, string[]>();
  const clients = await openEach(impls, (impl) => impl.open([ctx.single]), errors);
  const perRound = new Map<string, Series['rounds']>();
  const totals = new Map<string, { cycles: number; ms: number; commands: number }>();

  const burst = async (impl: Implementation, loops: number) => {
    const client = clients.get(impl.id)!;
    let done = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async (_, loop) => {
        const key = `bench:concurrent:${impl.id}:${loop}`;
        for (let i = 0; i < loops; i++) {
          try {
            const held = await client.acquire(key, ttl);
            await held.release();
            done++;
          } catch (error) {
            failed++;
            noteError(errorsOf(errors, impl.id), error);
          }
        }
      }),
    );
    return { done, failed };
  };

  try {
    for (const impl of impls) if (clients.has(impl.id)) await burst(impl, 2);
    for (let round = 0; round < rounds; round++) {
      for (const impl of roundOrder(impls, round)) {
        const list = perRound.get(impl.id) ?? [];
        perRound.set(impl.id, list);
        if (!clients.has(impl.id)) {
          list[round] = { throughput: Number.NaN };
          continue;
        }
        const before = await readCommandStats(ctx.single);
        const started = performance.now();
        const { done, failed } = await burst(impl, perLoop);
        const ms = performance.now() - started;
        const delta = commandDelta(before, await readCommandStats(ctx.single));
        list[round] = {
          throughput: (done / ms) * 1_000,
          commands: totalCommands(delta) / done,
          failed,
        };
        const total = totals.get(impl.id) ?? { cycles: 0, ms: 0, commands: 0 };
        total.cycles += done;
        total.ms += ms;
        total.commands += totalCommands(delta);
        totals.set(impl.id, total);
      }
    }
  } finally {
    await closeAll(clients.values());
  }

  return impls.map((impl): Series => {
    const total = totals.get(impl.id);
    return {
      id: impl.id,
      pooled: {
        throughput: total ? (total.cycles / total.ms) * 1_000 : Number.NaN,
        commands: total ? total.commands / total.cycles : Number.NaN,
      },
      rounds: perRound.get(impl.id) ?? [],
      errors: errors.get(impl.id) ?? [],
    };
  });
}
