/** Polls `check` until it returns a truthy value or the deadline passes (then throws). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeout = 5_000, interval = 10, what = 'condition' } = {},
): Promise<T> {
  const deadline = performance.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Blocks this process's event loop, as a GC pause or a stopped VM would. */
export function freezeProcess(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
