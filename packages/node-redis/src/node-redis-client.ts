/**
 * The part of node-redis that deadbolt uses, written out so that one adapter accepts clients
 * of node-redis 5 and 6 (their generic types are not assignable to each other).
 */

type EvalOptions = { keys: string[]; arguments: string[] };
/** node-redis calls pub/sub listeners with the message first, then the channel. */
type PubSubListener = (message: string, channel: string) => void;

export interface NodeRedisEmitter {
  on(event: string, listener: () => void): unknown;
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

export interface NodeRedisCommands extends NodeRedisEmitter {
  /** Not called (scripts go through `sendCommand`): it tells node-redis from other clients. */
  evalSha(sha1: string, options: EvalOptions): Promise<unknown>;
  sSubscribe(channel: string, listener: PubSubListener): Promise<void>;
  sUnsubscribe(channel: string, listener?: PubSubListener): Promise<void>;
}

/** A node-redis 5 or 6 client from `createClient()`. */
export interface NodeRedisClient extends NodeRedisCommands {
  readonly options?: object;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): NodeRedisClient & { connect(): Promise<unknown>; destroy(): void };
}

/** A node-redis 5 or 6 cluster from `createCluster()`. */
export interface NodeRedisCluster extends NodeRedisCommands {
  getSlotMaster(slot: number): unknown;
  sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown>;
  readonly _options: object;
  /** Each master's sharded pub/sub connection, once the cluster opened one. */
  readonly masters: readonly { readonly pubSub?: { readonly client: NodeRedisEmitter } }[];
}

export function isNodeRedis(client: unknown): client is NodeRedisClient | NodeRedisCluster {
  const c = client as Partial<NodeRedisCommands> | null;
  return (
    typeof c?.evalSha === 'function' &&
    typeof c.sSubscribe === 'function' &&
    typeof (c as { sendCommand?: unknown }).sendCommand === 'function'
  );
}

export function isCluster(client: NodeRedisClient | NodeRedisCluster): client is NodeRedisCluster {
  return typeof (client as NodeRedisCluster).getSlotMaster === 'function';
}

/**
 * node-redis 6's `keyPrefix` ('' in 5). It applies to script keys, so also to the release
 * channel that the script derives from its key, but node-redis never prefixes channels.
 */
export function keyPrefixOf(client: NodeRedisClient | NodeRedisCluster): string {
  const options = (isCluster(client) ? client._options : client.options) as { keyPrefix?: unknown };
  return options?.keyPrefix === undefined ? '' : String(options.keyPrefix);
}
