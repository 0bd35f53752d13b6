import { createHash, randomBytes } from 'node:crypto';
import { openRawConnection, type RawConnection, runCached } from './connections.js';
import { packageLabel } from './installed-version.js';
import type { ClientLibrary, Implementation } from './lock-client.js';
import { quorumVote } from './quorum-vote.js';

const releaseSource = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const release = {
  source: releaseSource,
  sha1: createHash('sha1').update(releaseSource).digest('hex'),
};

const clientPackages: Record<ClientLibrary, string> = {
  ioredis: packageLabel('ioredis'),
  'node-redis': packageLabel('redis'),
  'solidis stand-in': 'solidis stand-in',
};

/**
 * The floor: no library logic at all. A cycle is one `SET key token NX PX ttl` and one
 * `EVALSHA` release (GET == token -> DEL). Under contention it re-sends `SET NX` at once (it
 * spins). On N nodes it sends to all in parallel and resolves at a majority.
 *
 * The floor on ioredis is *the* floor every figure is divided by; the node-redis and stand-in
 * floors let each deadbolt adapter be compared with its own client too.
 */
export function floorOn(client: ClientLibrary): Implementation {
  const suffix = client === 'ioredis' ? '' : ` (${client})`;
  return {
    id: client === 'ioredis' ? 'floor' : `floor-${client.split(' ')[0]}`,
    label: `floor${suffix}`,
    kind: 'floor',
    package: clientPackages[client],
    client,
    tuning: 'defaults',
    waiting: 'spins: re-sends SET NX at once',
    single: true,
    quorum: client === 'ioredis',
    autoExtend: false,
    async open(endpoints) {
      const nodes = await Promise.all(endpoints.map((e) => openRawConnection(client, e)));
      let attempts = 0;
      return {
        acquire:
          nodes.length === 1
            ? async (key, ttl) => {
                const node = nodes[0]!;
                const token = randomBytes(16).toString('hex');
                do attempts++;
                while (!(await node.setNxPx(key, token, ttl)));
                return {
                  release: async () => void (await runCached(node, release, [key], [token])),
                };
              }
            : (key, ttl) => acquireOnQuorum(nodes, key, ttl, () => attempts++),
        counters: () => ({ attempts }),
        close: async () => void (await Promise.all(nodes.map((n) => n.close()))),
      };
    },
  };
}

async function acquireOnQuorum(
  nodes: readonly RawConnection[],
  key: string,
  ttl: number,
  onAttempt: () => void,
) {
  const quorum = Math.floor(nodes.length / 2) + 1;
  const token = randomBytes(16).toString('hex');
  const releaseAll = () => nodes.map((n) => runCached(n, release, [key], [token]));
  for (;;) {
    onAttempt();
    if (
      await quorumVote(
        nodes.map((n) => n.setNxPx(key, token, ttl)),
        quorum,
      )
    ) {
      return { release: async () => void (await quorumVote(releaseAll(), quorum)) };
    }
    for (const call of releaseAll()) call.catch(() => {});
  }
}
