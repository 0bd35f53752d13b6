import { isNoScript, type RedisLikeClient, type RedisReply, type Script } from '@deadbolt/core';

/** How many of a node's latest commands are remembered for {@link NodeScripts}. */
const SENT_LOG = 1024;

/**
 * Runs core's scripts on one node without ever changing the order in which one owner's
 * commands (those with the same token) reach it; see `node-operations.ts` for why that order
 * matters.
 *
 * - A script goes as `EVALSHA` once a call with it succeeded on this node, as `EVAL` (which
 *   caches it) before that. A NOSCRIPT reply means the node lost its scripts (a restart, a
 *   SCRIPT FLUSH): from then on every script goes as `EVAL` again until a call with it
 *   succeeds.
 * - The `EVALSHA` that got the NOSCRIPT did nothing on the node. It is sent again as `EVAL`
 *   only if no other command with the same token was sent to this node after it: then it
 *   still comes after all of that owner's commands sent before it and before all sent after
 *   it (none). Otherwise it rejects with the NOSCRIPT error and counts as that node failing
 *   the call. A command without a token (the fence raise, which only ever raises a counter to
 *   a value) is always sent again.
 * - To tell, the tokens of the node's last {@link SENT_LOG} commands are kept in a ring (an
 *   array write per command, nothing to clean up). When more commands than that went to the
 *   node since, it cannot tell, and does not send again.
 *
 * This relies on the client sending its calls on one connection in the order they were made,
 * which redlock needs anyway.
 */
export class NodeScripts {
  readonly #cached = new Set<Script>();
  /** Token of command number `n` (`undefined` without one) at `n % SENT_LOG`. */
  readonly #sentTokens: (string | undefined)[] = new Array(SENT_LOG);
  #sent = 0;
  #outstanding = 0;

  constructor(readonly client: RedisLikeClient) {}

  /**
   * Forgets which scripts the node has: until a call with each succeeds, they go as `EVAL`.
   * For a node that stopped answering: it may come back restarted, with an empty cache, and
   * what was queued for it meanwhile then runs as sent instead of failing all at once.
   */
  forget(): void {
    this.#cached.clear();
  }

  /** Commands sent through {@link run} that have neither been answered nor failed yet. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Runs `script` for the owner of `token`; rejects like the client does. */
  run(
    script: Script,
    keys: readonly string[],
    args: readonly string[],
    token?: string,
  ): Promise<RedisReply> {
    this.#outstanding++;
    return this.#send(script, keys, args, token);
  }

  /** Sends one command of a call counted as outstanding; the call's last command uncounts it. */
  #send(
    script: Script,
    keys: readonly string[],
    args: readonly string[],
    token: string | undefined,
  ): Promise<RedisReply> {
    const id = ++this.#sent;
    this.#sentTokens[id % SENT_LOG] = token;
    if (!this.#cached.has(script)) return this.#load(script, keys, args);
    return this.client
      .evalsha(script.sha1, keys, args)
      .then(this.#answered, (error: unknown) =>
        this.#noScript(error, id, script, keys, args, token),
      );
  }

  readonly #answered = (reply: RedisReply): RedisReply => {
    this.#outstanding--;
    return reply;
  };

  async #load(script: Script, keys: readonly string[], args: readonly string[]) {
    try {
      const reply = await this.client.eval(script.source, keys, args);
      this.#cached.add(script);
      return reply;
    } finally {
      this.#outstanding--;
    }
  }

  #noScript(
    error: unknown,
    id: number,
    script: Script,
    keys: readonly string[],
    args: readonly string[],
    token: string | undefined,
  ): Promise<RedisReply> {
    if (isNoScript(error)) {
      this.#cached.clear();
      // Nothing of this owner went out since: sent now (as EVAL), it keeps its place.
      if (token === undefined || !this.#sentSince(id, token)) {
        return this.#send(script, keys, args, token);
      }
    }
    this.#outstanding--;
    throw error;
  }

  /** Whether a command with `token` may have been sent after command number `id`. */
  #sentSince(id: number, token: string): boolean {
    if (this.#sent - id >= SENT_LOG) return true;
    for (let later = id + 1; later <= this.#sent; later++) {
      if (this.#sentTokens[later % SENT_LOG] === token) return true;
    }
    return false;
  }
}
