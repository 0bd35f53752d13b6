/** The Redis names one lock uses. They share a hash tag, so on a cluster they share a slot. */
export interface LockKeys {
  /** The lock's name as the caller gave it. */
  readonly name: string;
  /** Holds the owner's token while the lock is held: `<prefix>{<name>}`. */
  readonly key: string;
  /** Fencing counter, incremented by each acquisition; it never expires. */
  readonly fenceKey: string;
  /** Sharded pub/sub channel that broadcast releases (redlock) are announced on: `<key>:released`. */
  readonly channel: string;
  /** Waiting processes in arrival order, with their leases (sorted set), when the backend keeps a queue. */
  readonly queue: string;
}

/** The channel on which one waiting process is woken: `<key>:wake:<processId>`. */
export function wakeChannel(keys: LockKeys, processId: string): string {
  return `${keys.key}:wake:${processId}`;
}

/** The part of a key Redis Cluster hashes: the text between the first `{` and the next `}`. */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return undefined;
  return key.slice(open + 1, close);
}

/**
 * Builds the keys of a lock. Each one starts with `<prefix>{<name>}`, so whatever braces the
 * name holds, Redis finds the same hash tag in all of them. The one name that cannot work is
 * one whose tag would be empty (it starts with `}`): Redis would then hash each whole key.
 */
export function lockKeys(prefix: string, name: string): LockKeys {
  const key = `${prefix}{${name}}`;
  if (hashTagOf(key) === undefined) {
    throw new RangeError(
      `name must not start with "}" (got ${JSON.stringify(name)}): Redis Cluster would hash the lock's keys to different slots`,
    );
  }
  return {
    name,
    key,
    fenceKey: `${key}:fence`,
    channel: `${key}:released`,
    queue: `${key}:queue`,
  };
}
