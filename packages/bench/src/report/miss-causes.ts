/**
 * Why a target is missed, from reading core's code next to the measured figures (the command
 * breakdowns in the report, and a split of the uncontended cycle measured on the same machine:
 * core's scripts sent raw, then through `SingleNodeBackend`, then through `Locks`). Printed
 * under the targets only for a target that this run missed, keyed by target id (targets.ts).
 * It describes the code measured: core with the waiter queue of the targeted wake-up work.
 */
export const missCauses: Readonly<Record<string, string>> = {
  'sequential-p50':
    "The floor's acquire is a plain `SET NX PX`; deadbolt's must be a script, because the fencing `INCR` and the " +
    'check that the caller has not cancelled this token have to happen atomically with the `SET`. An uncontended ' +
    'cycle runs 8 Redis commands against 4: `EVALSHA` (`SET NX GET`, `EXISTS` on the cancel marker, the fence ' +
    '`INCR`) and `EVALSHA` (`GET`, `DEL`, `EXISTS` on the queue key, which finds none). Measured apart on this ' +
    'machine (`INFO commandstats`): a script call costs Redis about 2 µs before it runs a command, more with each ' +
    'key and argument, so the uncontended acquire sends the plain acquire script (2 keys, 2 arguments: about 4.5 ' +
    'µs of server time) rather than the waiter-queue one (3 keys, 8 arguments: about 6.3 µs), which a caller that ' +
    'waits sends from its second attempt on. The client layer costs about 2 µs per cycle (acquire + release ' +
    'through `Locks` on an in-memory client; 13 µs before owner tokens were drawn 4 KiB at a time, `token.ts`, 6.5 ' +
    'µs before one deadline clock replaced a Node timer per call and per lock, `deadline-clock.ts`, 4.3 µs before ' +
    'close listeners and held locks moved from an `AbortSignal` and a `Set` to linked lists, `registry.ts`). Side ' +
    'by side outside the bench harness (interleaved rounds in one process), the cycle through `Locks` measured ' +
    '1.12-1.15× the floor, the two scripts sent raw 1.08-1.11×. Three full runs earlier on 2026-11-24: ioredis 1.06× ' +
    'each time (1.13× before these changes), node-redis 1.07×, 1.04×, 1.04×. Since the release looks for a queue ' +
    'head only when the queue key `EXISTS` (974bd1f; on a missing key the lookup cost Redis several times what ' +
    '`EXISTS` does), two full runs the same day, on a machine where every sequential cycle took 20-50% longer than ' +
    'before, gave ioredis 1.05× (just over, rounded) and 1.04×, node-redis 1.09× twice, the stand-in 1.10× and ' +
    '1.16×, fair mode (whose acquire is the waiter-queue script) 1.13× and 1.09×. The last few per cent would need a script-free acquire, which would give up the fence or the cancellation ' +
    'guarantee.',
  'concurrent-throughput':
    'With 200 acquires in flight the client process is the bottleneck (CPU profile: about half of its busy time is ' +
    'the socket write of each command, as for the floor), so this figure moves most with the load on this shared ' +
    'machine. Three full runs on 2026-11-24 (at 6b70864, then twice at db9152e), ioredis / node-redis / solidis ' +
    'stand-in / fair: 1.15× / 1.16× / 1.02× / 1.07×, then 1.02× / 1.17× / 0.79× / 1.03×, then 1.04× / 0.88× / ' +
    '0.82× / 1.09×; two more at 974bd1f: 1.12× / 1.13× / 0.92× / 1.19×, then 1.10× / 1.00× / 0.91× / 1.04×. ' +
    "Before core's client path was halved (37e949d), the uncontended acquire moved to the plain " +
    'script and the node-redis adapter to `sendCommand` (6b70864), ioredis measured 0.86-0.90× and node-redis ' +
    "0.76-0.79×. The stand-in is the test double for solidis (not installable here): its speed is the stand-in's, " +
    "not solidis's.",
  'strict8-gap':
    'A notified handoff is two round trips plus a message: the release script, the wake-up `SPUBLISH` reaching the ' +
    "head of the queue, and that process's acquire script. The spinning floor has a `SET NX` in flight when its " +
    'release lands, so its gap is about one round trip. All workers of this scenario share one Node.js process, so ' +
    'the message and both scripts also queue behind the other workers’ callbacks. node-redis costs more per ' +
    "command than ioredis (its floor's sequential cycle is about 1.3× the ioredis floor's): it does not write a " +
    'command when it is called but batches writes in a `setImmediate` (`#scheduleWrite` in @redis/client 5 and ' +
    '6), so each of the two commands of a handoff waits for the rest of that event-loop turn. The handoff floor ' +
    'runs on ioredis, so deadbolt on node-redis is measured against a client that writes at once. Two full runs ' +
    'at 974bd1f gave node-redis 1.35× and 1.52× (ioredis 1.06×, 1.33×).',
  'strict8-commands':
    'deadbolt runs 17 or 18 commands per acquisition at every W: the release 6 (`EVALSHA`, `GET`, `DEL`, `EXISTS` ' +
    'on the queue, the head lookup, `SPUBLISH` to one process), the woken attempt 5 (`EVALSHA`, `SET NX GET`, the cancel-marker check, ' +
    '`ZREM` of its queue entries, the fence `INCR`) and the next refused attempt that joins the queue 6 or 7 ' +
    '(`EVALSHA`, `SET NX GET`, `PTTL`, `TIME`, `ZADD`, `PEXPIREAT NX`, and `PEXPIREAT GT` when the queue key ' +
    'already existed, as it does with more than one waiter). The notified reference pays 9 at W = 2 (no fence, ' +
    'no cancellation check, no queue) and grows with W.',
  'growth-gap':
    'The gap is client-bound at W = 2 (two round trips through the adapter plus the message); node-redis and the ' +
    'stand-in are slower per command than ioredis, on which the reference runs. Redis time is on that path too: ' +
    'in a W = 2 strict handoff on ioredis (throwaway script, 1,500 handoffs, `SLOWLOG` at 0 µs), the release ' +
    "script took 18 µs at p50 (28 µs mean) and the woken attempt 17 µs (28 µs mean); the reference's script " +
    'calls averaged 7.6 µs (`INFO commandstats`, same kind of run). The queue bookkeeping (`ZRANGEBYSCORE`, `ZREM`, the cancel check, the fence) is in ' +
    'those two scripts, and after the 1 ms hold the server runs them cold. Two full runs at 974bd1f: ' +
    'ioredis 1.35×, 1.34×; node-redis 1.57×, 1.53×; the stand-in 1.62×, 0.93×; fair 1.41×, 0.96× (earlier that ' +
    'day all four passed, node-redis at 1.38×).',
  'growth-commands':
    'At W = 2 only: deadbolt is flat at 17-18 commands per acquisition (see "commands per acquisition" at W = 8), ' +
    'while the broadcast reference costs 9 with one waiting process and grows with W (about 27 at W = 8, 90 at W = ' +
    "32). The difference at W = 2 is what the queue and deadbolt's guarantees cost per handoff: joining the queue " +
    "(`TIME`, `ZADD`, the key's expiry: 3 when the waiter creates the queue), leaving it (`ZREM`), the queue " +
    'check and head lookup, the fence `INCR` and the cancel-marker check. No design with the fence can reach the ' +
    "reference's 9: its handoff is a release (`EVALSHA`, `GET`, `DEL`, `PUBLISH`), a winning attempt (`EVALSHA`, " +
    '`SET NX`) and a refused one (`EVALSHA`, `SET NX`, `PTTL`), and the fence adds an `INCR` to the win, 10 at ' +
    'least, before any queue or cancellation check.',
  'issue12-gap':
    'At W = 2 the spinning floor keeps a `SET NX` in flight, so a release is followed by a grant within about one ' +
    'round trip; any notified design needs the release, the message and a new attempt (the notified reference ' +
    'misses by as much). The attempt could be skipped by granting the lock to the head inside the release script ' +
    '(the woken process can date the grant safely: from when its queue entry reached the server, plus the wait the ' +
    'server measured). deadbolt does not, for what it costs under faults: a head that is paused or cut off but ' +
    'still subscribed would then hold the lock for its whole ttl (30 s by default) instead of losing its place ' +
    "within its queue lease (2 s). From W = 8 on the floor's spinning costs it more than a notification does. " +
    'Where node-redis misses at W = 8, see "Strict handoff, W = 8: gap p50" above: node-redis batches its writes ' +
    'in a `setImmediate`, while the floor runs on ioredis.',
  'quorum-p50':
    'The quorum floor sends a plain `SET NX` to every node; deadbolt redlock sends its acquire script (with the ' +
    'fence) as `EVALSHA`, then a release script. Split apart with `pnpm --filter @deadbolt/redlock bench` on this ' +
    "machine (one run, after core's client layer was halved), 3 nodes / 5 nodes: core's scripts sent raw over the " +
    "quorum 1.03× / 1.09× the floor, redlock's quorum calls 1.26× / 1.08× that, core's `Locks` layer on top 0.97× " +
    "/ 1.00× (no longer measurable), the whole call 1.25× / 1.19×. On an in-memory client redlock's quorum " +
    'bookkeeping (a round per call, per-node timeouts, the decision) costs about 2.5 µs of CPU per cycle against ' +
    '0.5 µs for bare parallel calls, less than the latency gap; repeated splits on this shared machine moved by ' +
    'about ±10%, and three full runs on 2026-11-24 gave 1.11×, 1.12×, 1.06× on 3 nodes and 1.18×, 1.00×, 1.15× ' +
    'on 5, two more later that day (with the backlog rule of 0d3ab27) 1.09×, 1.18× on 3 and 1.09×, 0.96× on 5. The fence needs the script acquire: an `INCR` in the same atomic step as the `SET`.',
  memory:
    'The memory target is judged on what piles up across two hold-and-release passes, on lost locks and on handles ' +
    '(see the row). A lost lock means the extensions (10,000 every ttl/3) did not keep up on this shared machine: ' +
    "the readings' forced full GCs stall the process (the longest stall is in the memory table), and a stall " +
    'longer than the validity left loses locks, by design. Growth while held is shown for information only: with ' +
    '10,000 locks thousands of extensions are in flight at any moment and a reading can catch them.',
};
