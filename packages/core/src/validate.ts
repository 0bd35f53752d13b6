/** Argument checks: each throws a TypeError or RangeError that names the argument. */

/** Largest delay Node's timers accept (about 24.8 days). */
export const MAX_MS = 2 ** 31 - 1;
/** Longest lock name accepted, in characters. */
export const MAX_NAME_LENGTH = 1024;

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function checkName(name: unknown, argument = 'name'): string {
  if (typeof name !== 'string') {
    throw new TypeError(`${argument} must be a string, got ${describe(name)}`);
  }
  if (name.length === 0) throw new RangeError(`${argument} must not be empty`);
  if (name.length > MAX_NAME_LENGTH) {
    throw new RangeError(
      `${argument} must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`,
    );
  }
  return name;
}

/** An integer number of milliseconds in [min, MAX_MS]. */
export function checkMs(value: unknown, argument: string, min: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${argument} must be a number of milliseconds, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > MAX_MS) {
    throw new RangeError(
      `${argument} must be an integer from ${min} to ${MAX_MS} (milliseconds), got ${describe(value)}`,
    );
  }
  return value;
}

export function checkBoolean(value: unknown, argument: string): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${argument} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

export function checkFunction<T>(value: unknown, argument: string): T {
  if (typeof value !== 'function') {
    throw new TypeError(`${argument} must be a function, got ${describe(value)}`);
  }
  return value as T;
}

export function checkSignal(value: unknown, argument = 'signal'): AbortSignal {
  const looksLikeSignal =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function' &&
    typeof (value as AbortSignal).removeEventListener === 'function';
  if (!looksLikeSignal) {
    throw new TypeError(`${argument} must be an AbortSignal, got ${describe(value)}`);
  }
  return value as AbortSignal;
}

/** An options bag: undefined, or a plain object whose keys are all known. */
export function checkOptions(
  value: unknown,
  argument: string,
  known: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${argument} must be an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${argument} has an unknown option ${JSON.stringify(key)} (known: ${known.join(', ')})`,
      );
    }
  }
  return value as Record<string, unknown>;
}
