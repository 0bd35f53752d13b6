import { settleWithin } from './settle-within.js';

/**
 * Cleanup that goes on after its caller has moved on: a late grant being given back, a queue
 * entry being withdrawn. `Locks.close()` lets it reach Redis before the user closes the client
 * (a give-back cut off there would leave the key held for its ttl), but waits only so long.
 */
export class BackgroundWork {
  readonly #inFlight = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles; its rejection must be handled by the caller. */
  add(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    const done = () => this.#inFlight.delete(work);
    work.then(done, done);
  }

  /** Waits until nothing is in flight (work added meanwhile included), for at most `ms`. */
  async settle(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (this.#inFlight.size > 0 && performance.now() < deadline) {
      await settleWithin(Promise.allSettled([...this.#inFlight]), deadline - performance.now());
    }
  }
}
