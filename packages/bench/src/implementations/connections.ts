import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { SolidisFeaturedClient } from '../../../solidis/test/solidis-stand-in.js';
import type { ClientLibrary, Endpoint } from './lock-client.js';

/** An ioredis connection with default settings, connected. */
export async function connectIoredis(endpoint: Endpoint): Promise<Redis> {
  const client = new Redis({ host: endpoint.host, port: endpoint.port, lazyConnect: true });
  // Errors surface through the rejected commands; without a listener ioredis logs them.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A node-redis connection with default settings, connected. */
export async function connectNodeRedis(endpoint: Endpoint) {
  const client = createClient({ socket: { host: endpoint.host, port: endpoint.port } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The solidis stand-in (packages/solidis/test), connected. Not solidis itself. */
export async function connectStandIn(endpoint: Endpoint): Promise<SolidisFeaturedClient> {
  const client = new SolidisFeaturedClient({ host: endpoint.host, port: endpoint.port });
  await client.send([['PING']]);
  return client;
}

/**
 * The handful of raw commands the floor needs, the same through every client library, so
 * that each deadbolt adapter can be compared with the floor on its own client.
 */
export interface RawConnection {
  /** `SET key value PX ttl NX`: true when it was set. */
  setNxPx(key: string, value: string, ttl: number): Promise<boolean>;
  /** `EVALSHA`; rejects on an error reply (e.g. `NOSCRIPT`). */
  evalsha(sha1: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function openRawConnection(
  library: ClientLibrary,
  endpoint: Endpoint,
): Promise<RawConnection> {
  switch (library) {
    case 'ioredis': {
      const client = await connectIoredis(endpoint);
      return {
        setNxPx: async (key, value, ttl) =>
          (await client.set(key, value, 'PX', ttl, 'NX')) === 'OK',
        evalsha: (sha1, keys, args) => client.evalsha(sha1, keys.length, ...keys, ...args),
        eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
        close: async () => client.disconnect(),
      };
    }
    case 'node-redis': {
      const client = await connectNodeRedis(endpoint);
      return {
        setNxPx: async (key, value, ttl) =>
          (await client.set(key, value, { NX: true, PX: ttl })) === 'OK',
        evalsha: (sha1, keys, args) =>
          client.evalSha(sha1, { keys: [...keys], arguments: [...args] }),
        eval: (script, keys, args) =>
          client.eval(script, { keys: [...keys], arguments: [...args] }),
        close: async () => client.destroy(),
      };
    }
    case 'solidis stand-in': {
      const client = await connectStandIn(endpoint);
      const one = async (command: string[]): Promise<unknown> => {
        const [replies] = await client.send([command]);
        const reply = replies?.[0] ?? null;
        if (reply instanceof Error) throw reply; // The stand-in resolves error replies as values.
        return reply;
      };
      return {
        setNxPx: async (key, value, ttl) =>
          String(await one(['SET', key, value, 'PX', String(ttl), 'NX'])) === 'OK',
        evalsha: (sha1, keys, args) =>
          one(['EVALSHA', sha1, String(keys.length), ...keys, ...args]),
        eval: (script, keys, args) => one(['EVAL', script, String(keys.length), ...keys, ...args]),
        close: async () => client.quit(),
      };
    }
  }
}

/** Runs a script by SHA and falls back to `EVAL` on `NOSCRIPT`, as any careful client does. */
export async function runCached(
  connection: Pick<RawConnection, 'evalsha' | 'eval'>,
  script: { source: string; sha1: string },
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  try {
    return await connection.evalsha(script.sha1, keys, args);
  } catch (error) {
    if (!String((error as Error)?.message ?? error).includes('NOSCRIPT')) throw error;
    return await connection.eval(script.source, keys, args);
  }
}
