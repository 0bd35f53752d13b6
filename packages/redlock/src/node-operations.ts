import {
  type AcquireReply,
  acquireReply,
  acquireScript,
  type ExtendReply,
  extendScript,
  type InspectReply,
  inspectScript,
  integerPair,
  type LockKeys,
  type RedisLikeClient,
  releaseScript,
  runScript,
  unexpectedReply,
} from '@deadbolt/core';
import type { NodeScripts } from './node-scripts.js';
import { raiseFenceScript } from './raise-fence-script.js';

/*
 * One node's part of each lock operation, with core's scripts.
 *
 * Order is what makes redlock safe. It sends a release (or a fence raise) to a node before
 * that node answered the acquire, and counts on the node to run one owner's commands in the
 * order sent: that is what undoes a late grant. Core's `runScript` (EVALSHA, and on NOSCRIPT
 * the same call again as EVAL) breaks that order: the EVAL goes out only once the NOSCRIPT
 * error is back, after whatever was sent meanwhile. After a restart or a SCRIPT FLUSH, if that
 * was the release of the same token and its script is cached again (another client loaded
 * it), the release runs first and finds nothing, then the acquire runs and grants a lock that
 * nobody gives back.
 *
 * So acquire, release, extend and the fence raise go through {@link NodeScripts}: `EVALSHA`
 * once the node is known to have the script, `EVAL` otherwise, and a command refused with
 * NOSCRIPT is sent again (as `EVAL`) only if it can tell that nothing else with the same token
 * went to that node after it. (The fence raise has no token and only ever raises a counter:
 * it is always sent again.) Why each node still runs every owner's commands in the order they
 * were sent:
 * - Redis looks the script up before running anything, so an `EVALSHA` answered with NOSCRIPT
 *   did nothing, as if it had never been sent.
 * - When nothing with its token was sent after it, sending it again now puts it after the
 *   same commands of that owner as before, and before none: the owner's order is unchanged;
 *   the command only arrives later, which a slow network can do too. Commands of other owners
 *   (other tokens) may now come before it, but their relative order never mattered: they are
 *   independent clients, usually on other connections.
 * - Otherwise it is not sent again and fails like a dropped connection, which the quorum
 *   already tolerates: an acquire counts the node as failed (it granted nothing there), an
 *   extend counts it as failed, a release is best effort on that node (a grant it did not
 *   undo expires with its ttl, and never lets a second owner in). In practice this happens to
 *   an acquire whose round was decided without that node and given back, and to a give-back
 *   followed by the owner's next attempt on that node.
 * Later calls to that node go as `EVAL` until each script is cached again, and so do calls to
 * a node that timed out (it may come back restarted), so only commands in flight when the node
 * lost its scripts get a NOSCRIPT at all.
 *
 * Reads (`inspect`) keep core's fallback: their order does not matter.
 */

export async function acquireOn(
  node: NodeScripts,
  keys: LockKeys,
  token: string,
  ttl: number,
): Promise<AcquireReply> {
  const reply = await node.run(
    acquireScript,
    [keys.key, keys.fenceKey],
    [token, String(ttl)],
    token,
  );
  return acquireReply('acquire', reply);
}

export async function releaseOn(
  node: NodeScripts,
  keys: LockKeys,
  token: string,
): Promise<boolean> {
  const reply = await node.run(releaseScript, [keys.key], [token, keys.channel], token);
  return Number(reply) === 1;
}

export async function extendOn(
  node: NodeScripts,
  keys: LockKeys,
  token: string,
  ttl: number,
): Promise<ExtendReply> {
  const reply = Number(await node.run(extendScript, [keys.key], [token, String(ttl)], token));
  if (reply === 1) return 'extended';
  if (reply === 0) return 'absent';
  if (reply === -1) return 'taken';
  throw unexpectedReply('extend', reply);
}

export async function inspectOn(
  client: RedisLikeClient,
  keys: LockKeys,
): Promise<InspectReply | null> {
  const reply = await runScript(client, inspectScript, [keys.key, keys.fenceKey], []);
  if (reply === null) return null;
  const [pttl, fence] = integerPair('inspect', reply);
  return { pttl, fence };
}

export async function raiseFenceOn(
  node: NodeScripts,
  keys: LockKeys,
  fence: number,
): Promise<void> {
  await node.run(raiseFenceScript, [keys.fenceKey], [String(fence)]);
}
