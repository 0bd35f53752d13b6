import { AsyncLocalStorage } from 'node:async_hooks';
import { DeadboltError } from '../errors/deadbolt-error.js';
import { extendScript } from '../extend-script.js';
import type { HoldOps } from '../hold-ops.js';
import type { Lock, LockHandle } from '../lock.js';
import type { ExtendReply } from '../lock-backend.js';
import { lockKeys } from '../lock-keys.js';
import type { LocksInternals } from '../locks-internals.js';
import type { AcquireOptions } from '../options.js';
import { releaseScript } from '../release-script.js';
import { runHolding } from '../run-holding.js';
import { runScript } from '../script.js';
import { acquireReply, unexpectedReply } from '../script-replies.js';
import { permitExtendScript } from '../semaphore/permit-extend-script.js';
import { permitReleaseScript } from '../semaphore/permit-release-script.js';
import { requireClient } from '../semaphore/semaphore.js';
import { checkFunction, checkName } from '../validate.js';
import { readAcquireScript } from './read-acquire-script.js';
import { writeAcquireScript } from './write-acquire-script.js';
import { writerLeaveScript } from './writer-leave-script.js';

/**
 * Many readers or one writer. Read and write holds are {@link Lock} handles (ttl, extension,
 * fence, signal); each reader's hold expires on its own. A writer that has to wait registers
 * itself, and from then on new readers wait too, so a stream of readers cannot starve it.
 */
export interface ReadWriteLock {
  readonly name: string;
  /** A read hold: waits while a writer holds the lock or is waiting for it. */
  read(options?: AcquireOptions): Promise<Lock>;
  /** The write hold: waits until no reader and no writer holds the lock. */
  write(options?: AcquireOptions): Promise<Lock>;
  /** Runs `fn` under a read hold (auto-extended by default). */
  withRead<T>(fn: (hold: Lock) => T | Promise<T>, options?: AcquireOptions): Promise<T>;
  /**
   * Runs `fn` under the write hold (auto-extended by default). Called from inside `withRead`
   * of the same lock it rejects at once with a `DeadboltError` of code `'LOCK_UPGRADE'`: the
   * write would wait for the caller's own read hold forever.
   */
  withWrite<T>(fn: (hold: Lock) => T | Promise<T>, options?: AcquireOptions): Promise<T>;
}

/**
 * How long a waiting writer holds new readers back without renewing its registration. A
 * writer re-registers on each attempt and sleeps at most half of this, so a writer that
 * crashed while waiting holds readers back for at most this long.
 */
export const WRITER_LEASE_MS = 2_000;

/** The read holds the current async context is inside of (from `withRead`). */
const readContext = new AsyncLocalStorage<ReadonlySet<string>>();

export function createReadWriteLock(internals: LocksInternals, name: unknown): ReadWriteLock {
  const checkedName = checkName(name);
  const client = requireClient(internals, 'readWrite()');
  const base = lockKeys(internals.options.prefix, checkedName).key;
  const writer = `${base}:write`;
  const readers = `${base}:readers`;
  const readerFences = `${readers}:fences`;
  const waiting = `${base}:writers-waiting`;
  const counter = `${base}:rw:fence`;
  const keys = [writer, readers, readerFences, waiting, counter];
  // Both kinds of release announce on the writer key's channel; all waiters listen there.
  const channel = `${writer}:released`;

  const readOps: HoldOps = {
    name: checkedName,
    key: readers,
    channel,
    shared: true,
    acquire: async (token, ttl) =>
      acquireReply(
        'read-acquire',
        await runScript(client, readAcquireScript, keys, [token, String(ttl)]),
      ),
    release: async (token) =>
      Number(
        await runScript(client, permitReleaseScript, [readers, readerFences, writer], [token, '0']),
      ) === 1,
    extend: async (token, ttl): Promise<ExtendReply> =>
      Number(
        await runScript(client, permitExtendScript, [readers, readerFences], [token, String(ttl)]),
      ) === 1
        ? 'extended'
        : 'absent',
  };

  const writeOps = (register: boolean): HoldOps => ({
    name: checkedName,
    key: writer,
    channel,
    maxSleep: WRITER_LEASE_MS / 2,
    acquire: async (token, ttl) =>
      acquireReply(
        'write-acquire',
        await runScript(client, writeAcquireScript, keys, [
          token,
          String(ttl),
          register ? String(WRITER_LEASE_MS) : '0',
        ]),
      ),
    release: async (token) =>
      Number(await runScript(client, releaseScript, [writer], [token])) === 1,
    extend: async (token, ttl): Promise<ExtendReply> => {
      const reply = Number(await runScript(client, extendScript, [writer], [token, String(ttl)]));
      if (reply === 1) return 'extended';
      if (reply === 0) return 'absent';
      if (reply === -1) return 'taken';
      throw unexpectedReply('extend', reply);
    },
    leave: async (token) => {
      await runScript(client, writerLeaveScript, [waiting, writer], [token]);
    },
  });

  const refuseUpgrade = () => {
    if (readContext.getStore()?.has(base)) {
      throw new DeadboltError(
        `Cannot take the write hold of "${checkedName}" inside withRead of the same lock: ` +
          'upgrading a read hold would wait for itself. Release the read hold first.',
        { code: 'LOCK_UPGRADE' },
      );
    }
  };

  const take = async (ops: HoldOps, options: unknown, autoExtend: boolean) =>
    (await internals.take(ops, options, { oneAttempt: false, autoExtend })) as LockHandle;

  return {
    name: checkedName,
    async read(options) {
      return take(readOps, options, false);
    },
    async write(options) {
      refuseUpgrade();
      return take(writeOps(true), options, false);
    },
    async withRead(fn, options) {
      checkFunction(fn, 'fn');
      const hold = await take(readOps, options, true);
      const inside = new Set(readContext.getStore() ?? []).add(base);
      return readContext.run(inside, () => runHolding(hold, fn));
    },
    async withWrite(fn, options) {
      checkFunction(fn, 'fn');
      refuseUpgrade();
      return runHolding(await take(writeOps(true), options, true), fn);
    },
  };
}
