import type { RedisServer } from '@deadbolt/testkit';
import type { Endpoint, Implementation } from '../implementations/lock-client.js';
import { commandDelta, readCommandStats, totalCommands } from '../measure/command-stats.js';
import { roundOrder } from '../measure/interleave.js';
import { mean, percentile } from '../measure/statistics.js';
import type { Series } from '../results.js';
import {
  closeAll,
  errorsOf,
  noteError,
  openEach,
  type ScenarioContext,
} from './scenario-context.js';

export interface SequentialOptions {
  readonly rounds: number;
  readonly cycles: number;
  readonly warmup: number;
  /** Where the clients connect: one server, or the nodes of a quorum. */
  readonly endpoints: readonly Endpoint[];
  /** Count commands per cycle on this server (only when it is the only one). */
  readonly countOn?: RedisServer;
  readonly keyPrefix: string;
}

/**
 * Acquire + release, one after the other, on one long-lived client per implementation; the
 * implementations take turns in interleaved rounds. Figures: p50, p99 and mean per cycle (ms),
 * cycles per second, and commands per cycle when counted.
 */
export async function sequentialCycles(
  ctx: ScenarioContext,
  impls: readonly Implementation[],
  options: SequentialOptions,
): Promise<Series[]> {
  const { ttl } = ctx.config;
  const errors = new Map<string, string[]>();
  const clients = await openEach(impls, (impl) => impl.open(options.endpoints), errors);
  const pooled = new Map<string, number[]>();
  const rounds = new Map<string, Series['rounds']>();
  const commands = new Map<string, Map<string, number>>();
  const keyOf = (impl: Implementation) => `${options.keyPrefix}:${impl.id}`;

  const cycle = async (impl: Implementation, count: number, samples?: number[]) => {
    const client = clients.get(impl.id)!;
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const held = await client.acquire(keyOf(impl), ttl);
      await held.release();
      samples?.push(performance.now() - started);
    }
  };

  try {
    for (const impl of impls) {
      if (!clients.has(impl.id)) continue;
      try {
        await cycle(impl, options.warmup);
      } catch (error) {
        noteError(errorsOf(errors, impl.id), error);
        await clients.get(impl.id)?.close();
        clients.delete(impl.id);
      }
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const impl of roundOrder(impls, round)) {
        const list = rounds.get(impl.id) ?? [];
        rounds.set(impl.id, list);
        if (!clients.has(impl.id)) {
          list[round] = { p50: Number.NaN, p99: Number.NaN, mean: Number.NaN, cps: Number.NaN };
          continue;
        }
        const samples: number[] = [];
        const before = options.countOn && (await readCommandStats(options.countOn));
        try {
          await cycle(impl, options.cycles, samples);
        } catch (error) {
          noteError(errorsOf(errors, impl.id), error);
        }
        const after = options.countOn && (await readCommandStats(options.countOn));
        const figures: Series['rounds'][number] = {
          p50: percentile(samples, 50),
          p99: percentile(samples, 99),
          mean: mean(samples),
          cps: 1_000 / mean(samples),
        };
        if (before && after && samples.length > 0) {
          const delta = commandDelta(before, after);
          figures.commands = totalCommands(delta) / samples.length;
          const sum = commands.get(impl.id) ?? new Map<string, number>();
          for (const [name, calls] of delta) sum.set(name, (sum.get(name) ?? 0) + calls);
          commands.set(impl.id, sum);
        }
        list[round] = figures;
        pooled.set(impl.id, [...(pooled.get(impl.id) ?? []), ...samples]);
      }
    }
  } finally {
    await closeAll(clients.values());
  }

  return impls.map((impl): Series => {
    const samples = pooled.get(impl.id) ?? [];
    const perRound = rounds.get(impl.id) ?? [];
    const sum = commands.get(impl.id);
    const cycles = samples.length;
    return {
      id: impl.id,
      pooled: {
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        mean: mean(samples),
        cps: 1_000 / mean(samples),
        commands: sum === undefined || cycles === 0 ? Number.NaN : totalCommands(sum) / cycles,
      },
      rounds: perRound,
      ...(sum === undefined
        ? {}
        : {
            commands: Object.fromEntries([...sum].map(([name, calls]) => [name, calls / cycles])),
          }),
      errors: errors.get(impl.id) ?? [],
    };
  });
}
