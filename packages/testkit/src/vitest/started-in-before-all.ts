import { afterAll, beforeAll } from 'vitest';

/**
 * Starts something in `beforeAll` and stops it in `afterAll` of the calling file or
 * describe block. Returns a getter that throws a clear error when read before `beforeAll`
 * has run, e.g. at collection time.
 */
export function startedInBeforeAll<T>(
  what: string,
  start: () => Promise<T>,
  stop: (value: T) => Promise<void>,
): () => T {
  let started: { value: T } | undefined;
  beforeAll(async () => {
    started = { value: await start() };
  });
  afterAll(async () => {
    if (started === undefined) return;
    const { value } = started;
    started = undefined;
    await stop(value);
  });
  return () => {
    if (started === undefined) {
      throw new Error(
        `${what} is not running: read it inside a test or hook, after the beforeAll that ` +
          'starts it (not while the file is being collected, nor after afterAll)',
      );
    }
    return started.value;
  };
}
