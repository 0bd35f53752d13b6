import { useRedisServers } from '@deadbolt/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedlock } from '../src/index.js';
import { connectQuorum } from './quorum-nodes.js';
import { allRows, type NodeState, runTable, type TableContext } from './quorum-table.js';

const states: NodeState[] = ['healthy', 'held', 'stopped', 'killed'];

describe('quorum table · 3 nodes, every combination', () => {
  const handle = useRedisServers(3);
  let quorum: ReturnType<typeof connectQuorum>;
  let ctx: TableContext;

  beforeAll(() => {
    quorum = connectQuorum(handle.servers);
    ctx = {
      servers: handle.servers,
      clients: quorum.clients,
      locks: createRedlock(quorum.nodes),
      quorum: 2,
    };
  });

  afterAll(async () => {
    await ctx?.locks.close();
    quorum?.close();
  });

  it('gives the right outcome for all 64 combinations of healthy / held / stopped / killed', async () => {
    const rows = allRows(3, states);
    expect(rows).toHaveLength(64);
    // Default nodeTimeout (100 ms); each call stays far below 1 s.
    expect(await runTable(ctx, rows, 1_000)).toBe(64);
  }, 60_000);
});
