/** The longest delay a Node timer takes (a larger one fires after 1 ms). */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** A deadline being watched; `cancel()` stops it from firing (idempotent). */
export interface Deadline {
  cancel(): void;
}

class Entry implements Deadline {
  /** Position in the clock's heap; -1 once fired or cancelled. */
  index = -1;

  constructor(
    readonly clock: DeadlineClock,
    readonly at: number,
    readonly onExpire: () => void,
  ) {}

  cancel(): void {
    this.clock.remove(this);
  }
}

/**
 * One timer behind many deadlines. Every acquire and release bounds its wait for a reply, and
 * every held lock watches its validity: with a Node timer each, arming and clearing timers was
 * the largest cost of an uncontended acquire + release on the client, above building the
 * commands. Here the deadlines sit in a binary min-heap (watch and cancel in O(log n), where n
 * is what is in flight or held right now); the timer is armed for the earliest one and is not
 * re-armed when that one is cancelled: it fires, finds nothing due, and re-arms for the next.
 * Most deadlines lie far ahead (a reply's bound, a lock's validity) and are cancelled long
 * before, so the timer seldom fires.
 *
 * The timer never keeps the process alive by itself: a reply being awaited keeps its socket
 * open, which does, and a held lock must not keep a process from exiting.
 */
export class DeadlineClock {
  readonly #heap: Entry[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  /** Calls `onExpire` once `performance.now()` reaches `at`, unless cancelled before. */
  watch(at: number, onExpire: () => void): Deadline {
    const entry = new Entry(this, at, onExpire);
    entry.index = this.#heap.length;
    this.#heap.push(entry);
    this.#up(entry.index);
    if (at < this.#armedFor) this.#arm(at);
    return entry;
  }

  /** Takes `entry` out of the heap (no-op when it already fired or was cancelled). */
  remove(entry: Entry): void {
    const index = entry.index;
    if (index < 0) return;
    entry.index = -1;
    const last = this.#heap.pop()!;
    if (last === entry) return;
    last.index = index;
    this.#heap[index] = last;
    this.#down(index);
    this.#up(last.index);
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    // Node cannot wait longer than MAX_TIMER_DELAY in one timer (it would fire after 1 ms): a
    // deadline further ahead is reached in several firings.
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, Math.ceil(at - performance.now())));
    this.#timer = setTimeout(() => this.#fire(), delay);
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const due: Entry[] = [];
    while (this.#heap.length > 0 && this.#heap[0]!.at <= now) {
      const first = this.#heap[0]!;
      this.remove(first);
      due.push(first);
    }
    if (this.#heap.length > 0) this.#arm(this.#heap[0]!.at);
    for (const entry of due) {
      try {
        entry.onExpire();
      } catch (error) {
        // Every other deadline due now must still fire: report this one's error as uncaught.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #up(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.at <= entry.at) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.index = index;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && heap[child + 1]!.at < heap[child]!.at) child++;
      if (heap[child]!.at >= entry.at) break;
      heap[index] = heap[child]!;
      heap[index]!.index = index;
      index = child;
    }
    heap[index] = entry;
    entry.index = index;
  }
}

/** The process's deadlines: replies awaited and held locks' validity. */
export const deadlines = new DeadlineClock();
