import {
  type AcquireReply,
  acquireScript,
  type ExtendReply,
  extendScript,
  type InspectReply,
  inspectScript,
  type LockKeys,
  type RedisLikeClient,
  type RedisReply,
  releaseScript,
  runScript,
} from '@deadbolt/core';
import { raiseFenceScript } from './raise-fence-script.js';

/*
 * One node's part of each lock operation, with core's scripts.
 *
 * Everything that changes a lock goes out as `EVAL` with the script's source, not as
 * `EVALSHA` with core's NOSCRIPT fallback. redlock sends a release (or a fence raise) to a
 * node before that node answered the acquire, and counts on the connection to run them in the
 * order sent: that is what undoes a late grant. The fallback breaks that order: an acquire
 * whose `EVALSHA` fails with NOSCRIPT (after a restart or a SCRIPT FLUSH) is sent again as
 * `EVAL` only once its error is back, so a release sent meanwhile, whose script happens to be
 * cached, would run first and the grant would stay. `EVAL` costs the server the same (it
 * hashes the body and finds it in the same script cache) and a few hundred bytes more on the
 * wire. Reads (`inspect`) keep the fallback: their order does not matter.
 */

function unexpected(script: string, reply: RedisReply): Error {
  return new Error(`Unexpected reply from the ${script} script: ${JSON.stringify(reply)}`);
}

function pair(script: string, reply: RedisReply): [number, number] {
  if (Array.isArray(reply) && reply.length === 2) {
    const a = Number(reply[0]);
    const b = Number(reply[1]);
    if (Number.isFinite(a) && Number.isFinite(b)) return [a, b];
  }
  throw unexpected(script, reply);
}

export async function acquireOn(
  client: RedisLikeClient,
  keys: LockKeys,
  token: string,
  ttl: number,
): Promise<AcquireReply> {
  const reply = await client.eval(
    acquireScript.source,
    [keys.key, keys.fenceKey],
    [token, String(ttl)],
  );
  const [status, value] = pair('acquire', reply);
  return status === 1 ? { acquired: true, fence: value } : { acquired: false, pttl: value };
}

export async function releaseOn(
  client: RedisLikeClient,
  keys: LockKeys,
  token: string,
): Promise<boolean> {
  const reply = await client.eval(releaseScript.source, [keys.key], [token, keys.channel]);
  return Number(reply) === 1;
}

export async function extendOn(
  client: RedisLikeClient,
  keys: LockKeys,
  token: string,
  ttl: number,
): Promise<ExtendReply> {
  const reply = Number(await client.eval(extendScript.source, [keys.key], [token, String(ttl)]));
  if (reply === 1) return 'extended';
  if (reply === 0) return 'absent';
  if (reply === -1) return 'taken';
  throw unexpected('extend', reply);
}

export async function inspectOn(
  client: RedisLikeClient,
  keys: LockKeys,
): Promise<InspectReply | null> {
  const reply = await runScript(client, inspectScript, [keys.key, keys.fenceKey], []);
  if (reply === null) return null;
  const [pttl, fence] = pair('inspect', reply);
  return { pttl, fence };
}

export async function raiseFenceOn(
  client: RedisLikeClient,
  keys: LockKeys,
  fence: number,
): Promise<void> {
  await client.eval(raiseFenceScript.source, [keys.fenceKey], [String(fence)]);
}
