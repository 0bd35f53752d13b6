import { expect, it } from 'vitest';
import { useRedisCluster } from '../src/vitest/index.js';

const redis = useRedisCluster({ persistence: true });

it('brings a killed node back into the cluster with restart({ empty: false })', async () => {
  const { cluster } = redis;
  const node = cluster.masters[1]!;
  const myId = await node.command('CLUSTER', 'MYID');
  await node.kill();
  await node.restart({ empty: false });
  expect(await node.command('CLUSTER', 'MYID')).toBe(myId);

  const deadline = Date.now() + 20_000;
  let info = '';
  while (Date.now() < deadline) {
    info = String(await node.command('CLUSTER', 'INFO'));
    if (info.includes('cluster_state:ok') && info.includes('cluster_known_nodes:3')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(info).toContain('cluster_state:ok');
  expect(info).toContain('cluster_slots_assigned:16384');
});
