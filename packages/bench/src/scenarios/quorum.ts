import type { Implementation } from '../implementations/lock-client.js';
import type { Series } from '../results.js';
import type { ScenarioContext } from './scenario-context.js';
import { sequentialCycles } from './sequential-cycles.js';

/** Scenario 4: sequential acquire + release over a quorum of 3 and of 5 independent nodes. */
export async function runQuorum(
  ctx: ScenarioContext,
  impls: readonly Implementation[],
): Promise<{ nodes: number; series: Series[] }[]> {
  const { rounds, cycles, warmup, nodes } = ctx.config.quorum;
  const results = [];
  for (const count of nodes) {
    ctx.log(`quorum: ${count} nodes`);
    const series = await sequentialCycles(ctx, impls, {
      rounds,
      cycles,
      warmup,
      endpoints: ctx.nodes.slice(0, count),
      keyPrefix: `bench:quorum${count}`,
    });
    results.push({ nodes: count, series });
  }
  return results;
}
