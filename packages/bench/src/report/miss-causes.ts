/**
 * Why a target is missed, from reading core's code next to the measured figures (the command
 * breakdowns in the report, and a split of the uncontended cycle measured on the same machine:
 * core's scripts sent raw, then through `SingleNodeBackend`, then through `Locks`). Printed
 * under the targets only for a target that this run missed, keyed by target id (targets.ts).
 * It describes the code measured: core with the waiter queue of the targeted wake-up work.
 */
export const missCauses: Readonly<Record<string, string>> = {
  'sequential-p50':
    'An uncontended acquire + release runs 16 Redis commands where the floor runs 4 (commands column). ' +
    'The queue-aware scripts do their queue bookkeeping on every call, also when nobody waits: ' +
    '`waiter-queue/queued-acquire-script.ts` runs `EXISTS` on the cancelled marker, `TIME`, a `ZRANGEBYSCORE` sweep for lapsed entries, `GET`, ' +
    '`ZRANGE` for the head, `SET`, two `ZREM`s and the fence `INCR`; `queued-release-script.ts` runs `GET`, `DEL`, ' +
    '`TIME`, the sweep again and `ZRANGE`. Measured apart on this machine (interleaved, p50 ratio to the floor): ' +
    "core's pre-queue scripts sent raw 1.14×, the queued scripts sent raw 1.47×, through `SingleNodeBackend` 1.56×, " +
    'through `Locks` 1.86×. So about half of the miss is the scripts and the rest is the client layer: per acquire, ' +
    '`settleWithin` (`settle-within.ts`) arms a `setTimeout` and adds an abort listener to the `Locks` close signal, ' +
    '`LockHandle` (`lock.ts`) creates an `AbortController` and arms an expiry timer, the release runs another ' +
    '`settleWithin`; options are re-validated (`resolveAcquireOptions`) and `mutexOps`/`lockKeys` rebuilt for every ' +
    'call (`create-locks.ts`). Fix: an uncontended fast path in the scripts (`SET NX PX` first; touch the queue only ' +
    'when the caller is queued or the queue key exists: `EXISTS` before the sweep and head lookup in release), create ' +
    "the handle's `AbortController` lazily on first `signal` read, and avoid the per-call timer when the reply " +
    'deadline is far (one shared deadline sweep per `Locks`).',
  'concurrent-throughput':
    'With 200 acquires in flight the client process is CPU-bound (a CPU profile of this loop through `Locks`: 92% ' +
    "busy; the largest shares are writing commands to the socket and ioredis's command objects, then GC), and Redis " +
    'runs on the other of the two cores. deadbolt sends longer commands (the queued acquire carries 4 keys and 7 ' +
    'arguments) and Redis runs 16 commands per cycle instead of 4. Measured apart: the pre-queue scripts sent raw reach ' +
    '0.97× the floor, the queued scripts raw 0.65×, through `Locks` 0.55×. The causes and fixes are those of the ' +
    'sequential miss (the uncontended fast path in the scripts first). Separately, `settleWithin` adds one abort ' +
    'listener per call in flight to the shared `Locks` close signal, so more than 10 concurrent acquires on one ' +
    '`Locks` print a `MaxListenersExceededWarning` on every run: `setMaxListeners(0, closer.signal)` in ' +
    '`create-locks.ts`, or one listener per `Locks` that fans out.',
  'strict8-gap':
    'A notified handoff is two round trips plus a message: the release script, the wake-up `SPUBLISH` reaching the ' +
    "head of the queue, and that process's acquire script. The spinning floor has a `SET NX` in flight when its " +
    'release lands, so its gap is about one round trip. That leaves little room for 1.5×, and deadbolt spends it on ' +
    'script time: the release script runs 7 commands (the `TIME` + `ZRANGEBYSCORE` sweep and `ZRANGE` before the ' +
    '`SPUBLISH`) and the woken acquire about 10, against 3 and 1 for the floor; each adapter adds its client overhead ' +
    'twice per gap (the floor is on ioredis). The script slimming under "commands per acquisition" shortens both ' +
    'legs.',
  'strict8-commands':
    'deadbolt runs about 30 commands per acquisition at every W (flat: the waiter queue wakes one process), but each ' +
    'of its three script calls per handoff carries the queue bookkeeping: a refused attempt that joins the queue is ' +
    'about 12 commands (`EVALSHA`, `EXISTS` on the cancelled marker, `TIME`, the `ZRANGEBYSCORE` sweep, `GET`, `ZRANGE`, two `ZADD`s, `PTTL` + ' +
    '`PEXPIRE` on both queue keys in `enqueueLua`, `PTTL` of the holder), the winning attempt about 10, the release ' +
    'about 7; and every acquisition takes two attempts (attempts column: one to join, one after the wake-up). The ' +
    'notified reference pays 3 per refused attempt, 2 per win and 4 per release, so it stays cheaper while fewer ' +
    'than about 10 processes wait. Fix in `waiter-queue/queue-lua.ts` and the scripts: sweep lapsed entries in ' +
    'release and renew only (or only when the queue exists), set the queue keys’ expiry only when `ZADD` created ' +
    'the entry instead of `PTTL` + `PEXPIRE` on both keys each call, skip the `ZREM`s when the caller was never ' +
    'queued (the client knows), and keep one sorted set (arrival order) with the lease in the same structure rather ' +
    'than two sets updated together.',
  'growth-gap':
    'Only on node-redis at W = 2 and only just: the gap is client-bound there (two round trips through the adapter ' +
    'plus the message), and node-redis is slower per command than ioredis, on which the reference runs.',
  'growth-commands':
    'At W = 2 and 8: see "commands per acquisition" at W = 8 above. deadbolt is flat at about 30 commands per ' +
    'acquisition; the reference grows with W (9, 27, 96) and only passes deadbolt above about 10 waiting processes. ' +
    'The fixed cost per acquisition is the queue bookkeeping inside each script, not extra wake-ups.',
  'quorum-p50':
    '`@deadbolt/redlock` sends the whole script source with `EVAL` on every call to every node ' +
    '(`packages/redlock/src/node-operations.ts`: `acquireOn`, `releaseOn` and `extendOn` call `client.eval(...source)`), ' +
    'so each call writes the script text to N sockets and each node hashes it again, where core (and the floor) ' +
    "send `EVALSHA`. On top come core's `Locks` layer (the same per-call timers, `AbortController` and listeners as " +
    "on one node) and redlock's round (`quorum-round.ts`: a per-round `setTimeout` for `nodeTimeout` and the " +
    'decision bookkeeping), while the floor resolves on plain `SET NX`. Fix: `runScript` (EVALSHA with the NOSCRIPT ' +
    'fallback) in node-operations.ts, at least after the first contact with each node.',
  memory:
    'The memory target is judged on what piles up across two hold-and-release passes, on lost locks and on handles ' +
    '(see the row). A lost lock means the extensions (10,000 every ttl/3) did not keep up on this shared machine: ' +
    "the readings' forced full GCs stall the process (the longest stall is in the memory table), and a stall " +
    'longer than the validity left loses locks, by design. Growth while held is shown for information only: with ' +
    '10,000 locks thousands of extensions are in flight at any moment and a reading can catch them.',
};
