import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startRedisCluster } from '../src/index.js';
import { useRedisCluster } from '../src/vitest/index.js';

describe('startRedisCluster, 3 masters', () => {
  const redis = useRedisCluster();

  it('assigns all 16384 slots and every node reports cluster_state:ok', async () => {
    const { cluster } = redis;
    expect(cluster.masters).toHaveLength(3);
    expect(cluster.replicas).toHaveLength(0);
    expect(cluster.nodes).toHaveLength(3);
    for (const node of cluster.nodes) {
      const info = String(await node.command('CLUSTER', 'INFO'));
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_slots_assigned:16384');
      expect(info).toContain('cluster_known_nodes:3');
    }
  });

  it('serves keys of every slot range through a cluster client', async () => {
    const { cluster } = redis;
    const client = new Cluster(cluster.rootNodes, { lazyConnect: true });
    try {
      await client.connect();
      const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
      await Promise.all(keys.map((key) => client.set(key, key)));
      const counts = await Promise.all(cluster.masters.map((m) => m.command('DBSIZE')));
      // 30 keys spread over 3 slot ranges: each master holds some.
      expect(counts.every((count) => Number(count) > 0)).toBe(true);
      expect(counts.reduce((a, b) => Number(a) + Number(b), 0)).toBe(30);
    } finally {
      client.disconnect();
    }
  });
});

describe('startRedisCluster with replicas', () => {
  it('attaches one replica per master', async () => {
    const cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
    try {
      expect(cluster.masters).toHaveLength(3);
      expect(cluster.replicas).toHaveLength(3);
      expect(cluster.nodes).toHaveLength(6);
      expect(cluster.rootNodes).toHaveLength(6);
      for (const replica of cluster.replicas) {
        const replication = String(await replica.command('INFO', 'replication'));
        expect(replication).toContain('role:slave');
        expect(replication).toContain('master_link_status:up');
      }
      for (const master of cluster.masters) {
        expect(String(await master.command('INFO', 'replication'))).toContain('connected_slaves:1');
      }
      for (const node of cluster.nodes) {
        expect(String(await node.command('CLUSTER', 'INFO'))).toContain('cluster_state:ok');
      }
    } finally {
      await cluster.stop();
    }
    expect(cluster.nodes.every((node) => node.state === 'stopped')).toBe(true);
  });

  it('rejects fewer than 3 masters', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(/masters must be/);
  });
});
