/**
 * fast-check arbitraries for bad input. Each one yields a value the public API must refuse,
 * together with `expect`: a word the error message must contain (the argument's name), since
 * the design asks every bad argument to fail with an error that names it. Valid arbitraries
 * fill in the arguments that are not being corrupted.
 */
import fc, { type Arbitrary } from 'fast-check';

/** One bad value and the word its error must name. */
export interface Bad {
  value: unknown;
  expect: string;
}

/** Largest delay Node's timers accept: the upper bound of every ms option. */
export const MAX_MS = 2 ** 31 - 1;

const bad = (arb: Arbitrary<unknown>, expect: string): Arbitrary<Bad> =>
  arb.map((value) => ({ value, expect }));

/** Values of every type except `undefined` (which means "not set" for an option). */
function anyDefinedExcept(...excluded: string[]): Arbitrary<unknown> {
  const all: [string, Arbitrary<unknown>][] = [
    ['number', fc.oneof(fc.integer(), fc.double())],
    ['string', fc.string({ maxLength: 8 })],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['bigint', fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n })],
    ['symbol', fc.string({ maxLength: 4 }).map((s) => Symbol(s))],
    ['array', fc.array(fc.integer(), { maxLength: 3 })],
    ['object', fc.object({ maxDepth: 1, maxKeys: 3 })],
    ['function', fc.constant(() => 1)],
  ];
  return fc.oneof(...all.filter(([type]) => !excluded.includes(type)).map(([, arb]) => arb));
}

/** Values of every type, `undefined` included, except those named. */
function anyExcept(...excluded: string[]): Arbitrary<unknown> {
  return fc.oneof(anyDefinedExcept(...excluded), fc.constant(undefined));
}

// --- names -----------------------------------------------------------------------------------

export const validName: Arbitrary<string> = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((s) => !s.startsWith('}'));

/** Not a string, empty, longer than 1,024 characters, or starting with `}`. */
export const badName: Arbitrary<Bad> = bad(
  fc.oneof(
    anyExcept('string'),
    fc.constant(''),
    fc.integer({ min: 1_025, max: 3_000 }).map((n) => 'n'.repeat(n)),
    fc.string({ maxLength: 20 }).map((s) => `}${s}`),
  ),
  'name',
);

// --- numbers ---------------------------------------------------------------------------------

/**
 * Not a whole number of ms in [min, MAX_MS]. Never `undefined`. `nullIsUnset`: leave out
 * `null`, for the creation options that treat it like `undefined` (see {@link NULL_AS_UNSET}).
 */
export function badMs(min: number, expect: string, nullIsUnset = false): Arbitrary<Bad> {
  return bad(
    fc.oneof(
      nullIsUnset ? anyDefinedExcept('number', 'null') : anyDefinedExcept('number'),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      fc
        .double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })
        .filter((d) => !Number.isInteger(d)),
      fc.integer({ min: -(2 ** 31), max: min - 1 }),
      fc.constantFrom(2 ** 31, 2 ** 32, 1e12, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE),
    ),
    expect,
  );
}

/** Not a boolean, never `undefined`. */
export const badBoolean = (expect: string): Arbitrary<Bad> =>
  bad(anyDefinedExcept('boolean'), expect);

/** Not a function, never `undefined`. */
export const badFunction = (expect: string): Arbitrary<Bad> =>
  bad(anyDefinedExcept('function'), expect);

/** Not a function, `undefined` included (a required callback). */
export const missingOrBadFunction = (expect: string): Arbitrary<Bad> =>
  bad(anyExcept('function'), expect);

/** Not an AbortSignal, never `undefined`. */
export const badSignal: Arbitrary<Bad> = bad(
  fc.oneof(
    anyDefinedExcept('object'),
    fc.object({ maxDepth: 1, maxKeys: 3 }).filter((o) => typeof o.aborted !== 'boolean'),
    fc.boolean().map((aborted) => ({ aborted })),
  ),
  'signal',
);

// --- option bags -----------------------------------------------------------------------------

/** Not a plain object (arrays, null, primitives, functions). */
export const badBag = (expect: string): Arbitrary<Bad> =>
  bad(
    anyDefinedExcept('object', 'array').chain((v) => fc.constantFrom(v, [v])),
    expect,
  );

/**
 * Option bags with exactly one thing wrong: the bag itself, an unknown key, or one field.
 * The other fields get valid values (each present or not).
 */
export function badOptions(
  valid: Record<string, Arbitrary<unknown>>,
  badFields: Record<string, Arbitrary<Bad>>,
  known: readonly string[] = Object.keys(valid),
): Arbitrary<Bad> {
  const validSubset = (without?: string) => {
    const model = { ...valid };
    if (without !== undefined) delete model[without];
    return fc.record(model, { requiredKeys: [] });
  };
  const unknownKey = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((key) => !known.includes(key));
  return fc.oneof(
    badBag('options'),
    fc.tuple(validSubset(), unknownKey, anyExcept()).map(([rest, key, value]) => ({
      value: { ...rest, [key]: value },
      expect: 'unknown option',
    })),
    ...Object.entries(badFields).map(([field, arb]) =>
      fc.tuple(validSubset(field), arb).map(([rest, wrong]) => ({
        value: { ...rest, [field]: wrong.value },
        expect: wrong.expect,
      })),
    ),
  );
}

/** Valid per-call options (`ttl`, `wait`, `signal`, `autoExtend`). */
export const validAcquireOptions: Record<string, Arbitrary<unknown>> = {
  ttl: fc.integer({ min: 10, max: 120_000 }),
  wait: fc.integer({ min: 0, max: 5_000 }),
  signal: fc.constant(null).map(() => new AbortController().signal),
  autoExtend: fc.boolean(),
};

export const badAcquireFields: Record<string, Arbitrary<Bad>> = {
  ttl: badMs(10, 'ttl'),
  wait: badMs(0, 'wait'),
  signal: badSignal,
  autoExtend: badBoolean('autoExtend'),
};

/** Bad options of `acquire`-like calls (`ttl`, `wait`, `signal`, `autoExtend`). */
export const badAcquireOptions: Arbitrary<Bad> = badOptions(validAcquireOptions, badAcquireFields);

/** Bad options of `tryAcquire` (no `wait`: passing one is an unknown option). */
export const badTryAcquireOptions: Arbitrary<Bad> = fc.oneof(
  badOptions(
    {
      ttl: validAcquireOptions.ttl!,
      signal: validAcquireOptions.signal!,
      autoExtend: fc.boolean(),
    },
    { ttl: badAcquireFields.ttl!, signal: badSignal, autoExtend: badAcquireFields.autoExtend! },
  ),
  fc.integer({ min: 0, max: 5_000 }).map((wait) => ({ value: { wait }, expect: 'unknown option' })),
);

/**
 * Creation options that `createLocks` and `createRedlock` read with `??`, so that `null`
 * counts as "not set" there (while the per-call options reject it). The fuzz leaves `null`
 * out for these and reports the leniency separately (see null-as-unset.ts).
 */
export const NULL_AS_UNSET = [
  'prefix',
  'ttl',
  'wait',
  'retry.minDelay',
  'retry.maxDelay',
  'driftFactor',
  'quorum',
  'nodeTimeout',
] as const;

const validRetry = fc
  .tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 100, max: 5_000 }))
  .map(([minDelay, maxDelay]) => ({ minDelay, maxDelay }));

const badRetry: Arbitrary<Bad> = fc.oneof(
  badBag('retry'),
  badOptions(
    { minDelay: fc.integer({ min: 1, max: 100 }), maxDelay: fc.integer({ min: 500, max: 5_000 }) },
    { minDelay: badMs(1, 'minDelay', true), maxDelay: badMs(1, 'maxDelay', true) },
  ).map((b) => ({ value: b.value, expect: b.expect === 'options' ? 'retry' : b.expect })),
  fc
    .integer({ min: 2, max: 10_000 })
    .chain((minDelay) =>
      fc.integer({ min: 1, max: minDelay - 1 }).map((maxDelay) => ({ minDelay, maxDelay })),
    )
    .map((value) => ({ value, expect: 'maxDelay' })),
);

/** Valid `createLocks` options. */
export const validLocksOptions: Record<string, Arbitrary<unknown>> = {
  prefix: fc.string({ maxLength: 12 }),
  ttl: fc.integer({ min: 10, max: 120_000 }),
  wait: fc.integer({ min: 0, max: 60_000 }),
  retry: validRetry,
  driftFactor: fc.double({ min: 0, max: 0.49, noNaN: true }),
  onEvent: fc.constant(() => {}),
};

export const badLocksFields: Record<string, Arbitrary<Bad>> = {
  prefix: bad(anyDefinedExcept('string', 'null'), 'prefix'),
  ttl: badMs(10, 'ttl', true),
  wait: badMs(0, 'wait', true),
  retry: badRetry,
  driftFactor: bad(
    fc.oneof(
      anyDefinedExcept('number', 'null'),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5),
      fc.double({ min: 0.5, max: 1e6, noNaN: true }),
      fc.double({ min: -1e6, max: -Number.MIN_VALUE, noNaN: true }),
    ),
    'driftFactor',
  ),
  onEvent: badFunction('onEvent'),
};

/** Bad `createLocks` options. */
export const badLocksOptions: Arbitrary<Bad> = badOptions(validLocksOptions, badLocksFields);

// --- semaphores ------------------------------------------------------------------------------

export const validLimit = fc.integer({ min: 1, max: 1_000_000 });

/** Bad `semaphore(name, options)` options: missing, not a bag, unknown key, or a bad limit. */
export const badSemaphoreOptions: Arbitrary<Bad> = fc.oneof(
  fc.constant({ value: undefined, expect: 'limit' }),
  badBag('options'),
  fc
    .tuple(
      validLimit,
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== 'limit'),
    )
    .map(([limit, key]) => ({ value: { limit, [key]: 1 }, expect: 'unknown option' })),
  bad(
    fc.oneof(
      anyExcept('number'),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0, 1_000_001),
      fc.double({ min: 1, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.integer({ min: -(2 ** 31), max: 0 }),
      fc.integer({ min: 1_000_001, max: 2 ** 31 }),
    ),
    'limit',
  ).map((b) => ({ value: { limit: b.value }, expect: 'limit' })),
);

// --- clients ---------------------------------------------------------------------------------

const fn = () => Promise.resolve(null);

/** Something that is not a RedisLikeClient. */
export const badClient = (expect: string): Arbitrary<Bad> =>
  bad(
    fc.oneof(
      anyExcept('object'),
      fc.constant({}),
      fc.constant({ eval: fn }),
      fc.constant({ evalsha: fn }),
      anyDefinedExcept('function').map((evalsha) => ({ eval: fn, evalsha })),
      anyDefinedExcept('function').map((subscribe) => ({ eval: fn, evalsha: fn, subscribe })),
    ),
    expect,
  );
