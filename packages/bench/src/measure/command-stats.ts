/** Calls per command name, from `INFO commandstats`. */
export type CommandCounts = ReadonlyMap<string, number>;

/**
 * Parses `INFO commandstats`. Commands run inside scripts are counted under their own names
 * (Redis 7 counts `redis.call` too), so a script call shows up as `evalsha` plus its commands.
 */
export function parseCommandStats(info: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) counts.set(match[1]!, Number(match[2]));
  }
  return counts;
}

/**
 * Commands not counted: `INFO` (our own before/after reads, and ioredis's ready check) and the
 * bookkeeping the benchmark itself may send.
 */
const NOT_COUNTED = new Set(['info']);

/** What ran between two readings, per command, without the bookkeeping. */
export function commandDelta(before: CommandCounts, after: CommandCounts): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, calls] of after) {
    if (NOT_COUNTED.has(name)) continue;
    const ran = calls - (before.get(name) ?? 0);
    if (ran > 0) delta.set(name, ran);
  }
  return delta;
}

export function totalCommands(counts: CommandCounts): number {
  let total = 0;
  for (const calls of counts.values()) total += calls;
  return total;
}

/** Reads the counters of a server through a `command()` function (testkit's). */
export async function readCommandStats(server: {
  command(...args: string[]): Promise<unknown>;
}): Promise<Map<string, number>> {
  return parseCommandStats(String(await server.command('INFO', 'commandstats')));
}
