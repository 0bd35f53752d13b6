import { describe, expect, it } from 'vitest';
import { startRedisServers } from '../src/index.js';

describe('startRedisServers', () => {
  it('starts independent servers with distinct ports and pids', async () => {
    const servers = await startRedisServers(3);
    try {
      expect(servers).toHaveLength(3);
      expect(new Set(servers.map((s) => s.port)).size).toBe(3);
      expect(new Set(servers.map((s) => s.pid)).size).toBe(3);
      expect(new Set(servers.map((s) => s.dir)).size).toBe(3);

      const [first, ...others] = servers;
      await first!.command('SET', 'only-on-first', '1');
      expect(await first!.command('DBSIZE')).toBe(1);
      for (const other of others) {
        expect(await other.command('DBSIZE')).toBe(0);
        expect(await other.command('INFO', 'replication')).toContain('connected_slaves:0');
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it('rejects a bad count', async () => {
    await expect(startRedisServers(-1)).rejects.toThrow(RangeError);
    expect(await startRedisServers(0)).toEqual([]);
  });
});
