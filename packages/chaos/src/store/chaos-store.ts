import { Redis } from 'ioredis';
import { FENCED_STORE_SCRIPT } from './fenced-store-script.js';

/** Keys of one scenario on the store Redis. */
export interface StoreKeys {
  /** The unfenced counter (a plain string key, read-modify-written by holders). */
  counter: string;
  /** The fenced store's hash. */
  fenced: string;
}

export function storeKeys(scenario: string): StoreKeys {
  return { counter: `chaos:${scenario}:counter`, fenced: `chaos:${scenario}:fenced` };
}

/** A fenced access's answer. */
export interface FencedReply {
  accepted: boolean;
  max: number;
}

type FencedCommand = (key: string, op: string, fence: string, value: string) => Promise<unknown>;

/** A worker's connection to the store Redis: the unfenced counter and the fenced store. */
export class ChaosStore {
  readonly #redis: Redis;
  readonly #keys: StoreKeys;

  constructor(port: number, keys: StoreKeys) {
    this.#keys = keys;
    this.#redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
    this.#redis.on('error', () => {});
    // ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT by itself.
    this.#redis.defineCommand('fencedAccess', { numberOfKeys: 1, lua: FENCED_STORE_SCRIPT });
  }

  async readCounter(): Promise<number> {
    return Number((await this.#redis.get(this.#keys.counter)) ?? '0');
  }

  async writeCounter(value: number): Promise<void> {
    await this.#redis.set(this.#keys.counter, String(value));
  }

  begin(fence: number): Promise<FencedReply> {
    return this.#access('begin', fence, '');
  }

  write(fence: number, value: string): Promise<FencedReply> {
    return this.#access('write', fence, value);
  }

  async #access(op: string, fence: number, value: string): Promise<FencedReply> {
    const command = (this.#redis as unknown as { fencedAccess: FencedCommand }).fencedAccess;
    const reply = (await command.call(
      this.#redis,
      this.#keys.fenced,
      op,
      String(fence),
      value,
    )) as [number, number];
    return { accepted: Number(reply[0]) === 1, max: Number(reply[1]) };
  }

  disconnect(): void {
    this.#redis.disconnect();
  }
}
