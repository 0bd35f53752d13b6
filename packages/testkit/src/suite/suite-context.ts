import type { LockEvent } from '@deadbolt/core';
import { eventually } from './eventually.js';
import type { LockTarget, LockTopology } from './lock-topology.js';

/** What the behaviour suites share inside one `describe` block. */
export interface SuiteContext {
  readonly target: LockTarget;
  /** The running topology (set in beforeAll). */
  readonly topo: LockTopology;
  uniqueName(hint?: string): string;
  /** Waits until some process listens on a channel matching the glob pattern. */
  waitUntilSubscribed(pattern: string): Promise<void>;
}

export function recorder() {
  const events: LockEvent[] = [];
  return { events, onEvent: (e: LockEvent) => events.push(e) };
}

export function suiteContext(target: LockTarget, topo: () => LockTopology): SuiteContext {
  let counter = 0;
  const run = Math.random().toString(36).slice(2, 8);
  return {
    target,
    get topo() {
      return topo();
    },
    uniqueName: (hint = 'lock') => `${hint}:${run}:${++counter}`,
    async waitUntilSubscribed(channel) {
      await eventually(async () => (await topo().shardSubscribers(channel)) > 0, {
        what: `a subscriber on ${channel}`,
      });
    },
  };
}
