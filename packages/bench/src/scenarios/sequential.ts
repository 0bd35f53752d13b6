import type { Implementation } from '../implementations/lock-client.js';
import type { Series } from '../results.js';
import type { ScenarioContext } from './scenario-context.js';
import { sequentialCycles } from './sequential-cycles.js';

/** Scenario 1: sequential uncontended acquire + release on one server. */
export function runSequential(
  ctx: ScenarioContext,
  impls: readonly Implementation[],
): Promise<Series[]> {
  const { rounds, cycles, warmup } = ctx.config.sequential;
  return sequentialCycles(ctx, impls, {
    rounds,
    cycles,
    warmup,
    endpoints: [ctx.single],
    countOn: ctx.single,
    keyPrefix: 'bench:sequential',
  });
}
