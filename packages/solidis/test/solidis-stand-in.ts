/**
 * TEST STAND-IN — THIS IS NOT SOLIDIS.
 *
 * `@vcms-io/solidis` cannot be installed here (the registry answers 404), so the adapter is
 * tested against this small solidis-shaped client over a real Redis connection (node:net and a
 * minimal RESP2/RESP3 parser). It reproduces the conventions of solidis 0.3 that the adapter
 * depends on, as read in solidis's public source, and nothing else:
 *
 * - `eval(script, keys, params)` / `evalsha(...)` resolve the raw reply: error replies as
 *   `Error` VALUES (`RespError`), bulk strings as Buffers, integers as numbers (bigint when
 *   unsafe), nil as null; under RESP3 also Maps, Sets, booleans, doubles and bigints.
 * - A number argument rejects with a TypeError and fails every command in flight on the
 *   connection, which then reconnects.
 * - `ssubscribe(...channels)` resolves `undefined` once Redis confirmed; messages arrive as
 *   `on('smessage', (channel: string, message: Buffer))`. After a reconnect it resubscribes,
 *   then emits 'ready' and 'reconnected'.
 * - No `duplicate()`. `quit()` is synchronous; later calls reject
 *   "Not connected with redis server.".
 * - `SolidisClient` has only the base methods; commands are bound with `extend({...})`.
 *   `SolidisFeaturedClient` has them all.
 */
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';

/** solidis's class for error replies: an `Error` whose message is Redis's text. */
export class RespError extends Error {
  override name = 'RespError';
}

export type SolidisData =
  | string
  | number
  | bigint
  | boolean
  | null
  | Buffer
  | RespError
  | SolidisData[]
  | Map<string, SolidisData>
  | Set<SolidisData>;

export interface StandInOptions {
  host?: string;
  port: number;
  protocol?: 'RESP2' | 'RESP3';
}

interface Pending {
  command: (string | Buffer)[];
  expected: number;
  replies: SolidisData[];
  resolve(replies: SolidisData[]): void;
  reject(error: unknown): void;
}

const SUBSCRIBE_FAMILY = new Set(['SSUBSCRIBE', 'SUNSUBSCRIBE', 'SUBSCRIBE', 'UNSUBSCRIBE']);
const pushes = new WeakSet<SolidisData[]>();

/** The stand-in for `SolidisClient`: send, connect, quit, extend, and events. */
export class SolidisClient extends EventEmitter {
  /** Every command given to `send`, as given: the "never a number" tests read it. */
  readonly sent: unknown[][] = [];
  readonly #options: Required<StandInOptions>;
  #socket: Socket | undefined;
  #buffer = Buffer.alloc(0);
  #pending: Pending[] = [];
  #shardChannels = new Set<string>();
  #ready: Promise<void>;
  #quitted = false;
  #connectedBefore = false;

  constructor(options: StandInOptions) {
    super();
    this.#options = { host: '127.0.0.1', protocol: 'RESP2', ...options };
    this.on('error', () => {}); // solidis installs a default 'error' listener too.
    this.#ready = this.#connect();
    this.#ready.catch(() => {});
  }

  async send(commands: (string | Buffer)[][]): Promise<SolidisData[][]> {
    this.sent.push(...commands);
    if (this.#quitted) throw new Error('Not connected with redis server.');
    for (const command of commands) {
      const bad = command.find((arg) => typeof arg !== 'string' && !Buffer.isBuffer(arg));
      if (bad !== undefined) {
        const error = new TypeError(`Invalid argument type: ${typeof bad}`);
        this.#fault(error); // As solidis: everything in flight fails, and it reconnects.
        throw error;
      }
    }
    await this.#ready;
    return Promise.all(commands.map((command) => this.#write(command)));
  }

  quit(): void {
    this.#quitted = true;
    this.#socket?.destroy();
  }

  extend<T extends Record<string, (this: SolidisClient, ...args: never[]) => unknown>>(
    extensions: T,
  ): this & { [K in keyof T]: OmitThisParameter<T[K]> } {
    for (const [name, fn] of Object.entries(extensions)) {
      (this as Record<string, unknown>)[name] = fn.bind(this);
    }
    return this as this & { [K in keyof T]: OmitThisParameter<T[K]> };
  }

  #write(command: (string | Buffer)[]): Promise<SolidisData[]> {
    const name = command[0]?.toString().toUpperCase() ?? '';
    const expected = SUBSCRIBE_FAMILY.has(name) ? Math.max(1, command.length - 1) : 1;
    return new Promise((resolve, reject) => {
      this.#pending.push({ command, expected, replies: [], resolve, reject });
      this.#socket?.write(encode(command));
    });
  }

  #connect(): Promise<void> {
    if (this.#quitted) return Promise.reject(new Error('Not connected with redis server.'));
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: this.#options.host, port: this.#options.port });
      this.#socket = socket;
      socket.on('data', (chunk) => this.#onData(chunk));
      socket.on('error', (error) => this.emit('error', error));
      socket.once('close', () => {
        const error = new Error('Connection closed.');
        this.#failInFlight(error);
        reject(error); // When it never connected; no-op otherwise.
        this.emit('end');
        if (this.#quitted) return;
        this.#ready = new Promise((wait) => setTimeout(wait, 20)).then(() => this.#connect());
        this.#ready.catch(() => {});
      });
      socket.once('connect', async () => {
        try {
          if (this.#options.protocol === 'RESP3') await this.#write(['HELLO', '3']);
          const channels = [...this.#shardChannels];
          if (channels.length > 0) await this.#write(['SSUBSCRIBE', ...channels]);
          resolve();
          this.emit('ready');
          if (this.#connectedBefore) this.emit('reconnected');
          this.#connectedBefore = true;
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  #fault(error: unknown): void {
    this.#failInFlight(error);
    this.#socket?.destroy();
  }

  #failInFlight(error: unknown): void {
    for (const pending of this.#pending.splice(0)) pending.reject(error);
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const parsed = parse(this.#buffer, 0);
      if (parsed === undefined) return;
      this.#buffer = this.#buffer.subarray(parsed[1]);
      this.#onReply(parsed[0]);
    }
  }

  #onReply(reply: SolidisData): void {
    const head = this.#pending[0];
    const kind = Array.isArray(reply) ? reply[0]?.toString() : undefined;
    const inPubSubMode =
      this.#shardChannels.size > 0 ||
      SUBSCRIBE_FAMILY.has(head?.command[0]?.toString().toUpperCase() ?? '');
    const isPubSub = Array.isArray(reply) && (pushes.has(reply) || inPubSubMode);
    if (isPubSub && (kind === 'smessage' || kind === 'message')) {
      this.emit(kind, String(reply[1]), reply[2] as Buffer);
      return;
    }
    if (isPubSub && kind === 'ssubscribe') this.#shardChannels.add(String(reply[1]));
    if (isPubSub && kind === 'sunsubscribe') this.#shardChannels.delete(String(reply[1]));
    if (head === undefined) return;
    head.replies.push(reply);
    if (head.replies.length < head.expected) return;
    this.#pending.shift();
    head.resolve(head.replies);
  }
}

/** Mirrors `@vcms-io/solidis/command/eval` (exported as `evaluate`). */
export async function evaluate(
  this: SolidisClient,
  script: string,
  keys: string[],
  parameters: string[],
): Promise<SolidisData> {
  const [replies] = await this.send([['EVAL', script, `${keys.length}`, ...keys, ...parameters]]);
  return replies?.[0] ?? null;
}

/** Mirrors `@vcms-io/solidis/command/evalsha`. */
export async function evalsha(
  this: SolidisClient,
  sha1: string,
  keys: string[],
  parameters: string[],
): Promise<SolidisData> {
  const [replies] = await this.send([['EVALSHA', sha1, `${keys.length}`, ...keys, ...parameters]]);
  return replies?.[0] ?? null;
}

/** Mirrors `@vcms-io/solidis/command/ssubscribe`: resolves undefined. */
export async function ssubscribe(this: SolidisClient, ...channels: string[]): Promise<void> {
  await this.send([['SSUBSCRIBE', ...channels]]);
}

/** Mirrors `@vcms-io/solidis/command/sunsubscribe`. */
export async function sunsubscribe(this: SolidisClient, ...channels: string[]): Promise<void> {
  await this.send([['SUNSUBSCRIBE', ...channels]]);
}

/** The stand-in for `SolidisFeaturedClient`: every command already bound. */
export class SolidisFeaturedClient extends SolidisClient {
  eval = evaluate;
  evalsha = evalsha;
  ssubscribe = ssubscribe;
  sunsubscribe = sunsubscribe;
}

function encode(command: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${command.length}\r\n`)];
  for (const arg of command) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(arg);
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one RESP2/RESP3 reply at `at`: [value, next offset], or undefined if incomplete. */
function parse(buffer: Buffer, at: number): [SolidisData, number] | undefined {
  const lineEnd = buffer.indexOf('\r\n', at);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[at]!);
  const line = buffer.toString('utf8', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return [line, next];
    case '-':
      return [new RespError(line), next];
    case ':': {
      const value = Number(line);
      return [Number.isSafeInteger(value) ? value : BigInt(line), next];
    }
    case '(':
      return [BigInt(line), next];
    case ',':
      return [line === 'inf' ? Infinity : line === '-inf' ? -Infinity : Number(line), next];
    case '#':
      return [line === 't', next];
    case '_':
      return [null, next];
    case '$':
    case '=':
    case '!': {
      const length = Number(line);
      if (length < 0) return [null, next];
      if (buffer.length < next + length + 2) return undefined;
      const bytes = Buffer.from(buffer.subarray(next, next + length));
      const value =
        type === '$' ? bytes : type === '=' ? bytes.toString() : new RespError(bytes.toString());
      return [value, next + length + 2];
    }
    case '*':
    case '>':
    case '~':
    case '%':
    case '|': {
      const count = Number(line) * (type === '%' || type === '|' ? 2 : 1);
      if (count < 0) return [null, next];
      const items: SolidisData[] = [];
      let offset = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, offset);
        if (item === undefined) return undefined;
        items.push(item[0]);
        offset = item[1];
      }
      if (type === '|') return parse(buffer, offset); // Attributes are dropped, as solidis does.
      if (type === '~') return [new Set(items), offset];
      if (type === '%') {
        const map = new Map<string, SolidisData>();
        for (let i = 0; i < items.length; i += 2) map.set(String(items[i]), items[i + 1]!);
        return [map, offset];
      }
      if (type === '>') pushes.add(items);
      return [items, offset];
    }
    default:
      throw new Error(`stand-in parser: unknown RESP type ${JSON.stringify(type)}`);
  }
}
