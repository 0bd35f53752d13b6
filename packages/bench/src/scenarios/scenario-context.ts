import type { RedisServer } from '@deadbolt/testkit';
import type { BenchConfig } from '../bench-config.js';
import type { Implementation, LockClient } from '../implementations/lock-client.js';

/** What every scenario gets: the settings, its servers and a progress log. */
export interface ScenarioContext {
  readonly config: BenchConfig;
  /** One server, used by one scenario at a time, so its command counts are ours alone. */
  readonly single: RedisServer;
  /** Independent servers for the quorum and fault scenarios. */
  readonly nodes: readonly RedisServer[];
  log(message: string): void;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Yields to the event loop, so a loop of instant failures cannot starve timers. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A short, single-line description of an error, for the report. */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s+/g, ' ').trim();
  return `${name}: ${line.length > 160 ? `${line.slice(0, 157)}...` : line}`;
}

/** Keeps the first few distinct error descriptions. */
export function noteError(errors: string[], error: unknown, keep = 3): void {
  const text = describeError(error);
  if (errors.length < keep && !errors.includes(text)) errors.push(text);
}

/** Opens one client per implementation; one that fails to open is reported, not fatal. */
export async function openEach(
  impls: readonly Implementation[],
  open: (impl: Implementation) => Promise<LockClient>,
  errors: Map<string, string[]>,
): Promise<Map<string, LockClient>> {
  const clients = new Map<string, LockClient>();
  for (const impl of impls) {
    try {
      clients.set(impl.id, await open(impl));
    } catch (error) {
      errors.set(impl.id, [`could not open: ${describeError(error)}`]);
    }
  }
  return clients;
}

export async function closeAll(clients: Iterable<LockClient>): Promise<void> {
  await Promise.allSettled([...clients].map((client) => client.close()));
}

/** The error list of one implementation, created on first use. */
export function errorsOf(errors: Map<string, string[]>, id: string): string[] {
  let list = errors.get(id);
  if (list === undefined) {
    list = [];
    errors.set(id, list);
  }
  return list;
}
