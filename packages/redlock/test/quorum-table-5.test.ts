import { useRedisServers } from '@deadbolt/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedlock } from '../src/index.js';
import { connectQuorum } from './quorum-nodes.js';
import { expectedOutcome, type NodeState, runTable, type TableContext } from './quorum-table.js';

/**
 * Every count of stopped, killed and held nodes over 5 (56 rows; the full 4^5 = 1024 would
 * take minutes), the faults placed at a different offset for each (stopped, killed) pair so
 * that every node index takes every role somewhere in the table.
 */
function countRows(n: number): NodeState[][] {
  const rows: NodeState[][] = [];
  for (let stopped = 0; stopped <= n; stopped++) {
    for (let killed = 0; stopped + killed <= n; killed++) {
      const offset = (stopped * 3 + killed) % n;
      for (let held = 0; stopped + killed + held <= n; held++) {
        const roles: NodeState[] = [
          ...Array<NodeState>(stopped).fill('stopped'),
          ...Array<NodeState>(killed).fill('killed'),
          ...Array<NodeState>(held).fill('held'),
          ...Array<NodeState>(n - stopped - killed - held).fill('healthy'),
        ];
        rows.push(roles.map((_, i) => roles[(i - offset + n) % n]!));
      }
    }
  }
  return rows;
}

describe('quorum table · 5 nodes, every count of each state', () => {
  const handle = useRedisServers(5);
  let quorum: ReturnType<typeof connectQuorum>;
  let ctx: TableContext;

  beforeAll(() => {
    quorum = connectQuorum(handle.servers);
    ctx = {
      servers: handle.servers,
      clients: quorum.clients,
      locks: createRedlock(quorum.nodes),
      quorum: 3,
    };
  });

  afterAll(async () => {
    await ctx?.locks.close();
    quorum?.close();
  });

  it('gives the right outcome for all 56 mixes of healthy / held / stopped / killed', async () => {
    const rows = countRows(5);
    expect(rows).toHaveLength(56);
    const kinds = new Set(rows.map((row) => expectedOutcome(row, 3)));
    expect([...kinds].sort()).toEqual(['acquired', 'contended', 'outage']);
    expect(await runTable(ctx, rows, 1_000)).toBe(56);
  }, 60_000);
});
