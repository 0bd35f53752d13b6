import { createHash } from 'node:crypto';
import type { RedisLikeClient, RedisReply } from './redis-like-client.js';

/** A Lua script with its SHA-1, computed once when the module loads. */
export interface Script {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

/** Defines a script; its SHA-1 is what `EVALSHA` uses. */
export function defineScript(name: string, source: string): Script {
  return { name, source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * Whether a rejection is Redis refusing an `EVALSHA` because the script is not in its cache
 * (a `NOSCRIPT` error reply, whatever the client wraps it in).
 */
export function isNoScript(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes('NOSCRIPT');
}

/**
 * Runs a script with `EVALSHA` and falls back to `EVAL` when the server does not know it
 * (`NOSCRIPT`: first use, a restart, `SCRIPT FLUSH`, or another cluster node). `EVAL` caches
 * the script on whichever node served it, so the next call there is an `EVALSHA` again. We never
 * send `SCRIPT LOAD`: on a cluster it would reach a single node.
 */
export async function runScript(
  client: RedisLikeClient,
  script: Script,
  keys: readonly string[],
  args: readonly string[],
): Promise<RedisReply> {
  try {
    return await client.evalsha(script.sha1, keys, args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return await client.eval(script.source, keys, args);
  }
}
