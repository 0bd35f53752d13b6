import type { RedisServer } from '@deadbolt/testkit';
import type { HistoryEvent } from '../history/history-event.js';
import type { SeededRandom } from '../seeded-random.js';
import type { StoreKeys } from '../store/chaos-store.js';
import type { WorkerProcess } from '../workers/worker-process.js';
import type { FaultKind, PlannedFault } from './fault-schedule.js';

/** What was injected in one scenario, and what went wrong while injecting. */
export interface FaultRecord {
  injected: Partial<Record<FaultKind, number>>;
  /** Planned faults that could not be injected (no holder in time, no free node...). */
  skipped: string[];
  /** Promised behaviour that failed while injecting (e.g. nobody took over after a ttl). */
  problems: string[];
}

/** What an injector may touch: only servers and workers this scenario started. */
export interface FaultTarget {
  lockServers: RedisServer[];
  storeServer: RedisServer;
  keys: StoreKeys;
  ttl: number;
  /** Whether holders register with the fenced store (a takeover shows as a higher fence). */
  fenced: boolean;
  liveWorkers(): WorkerProcess[];
  replaceWorker(victim: WorkerProcess): Promise<void>;
  /** Redlock nodes that are paused, down, or back for less than the delay. */
  faultyNodes: Set<number>;
  /** At most this many nodes faulty at once (a minority). */
  maxFaultyNodes: number;
  /**
   * The only nodes that are ever killed or shut down (and so restarted empty): a minority, so
   * that any quorum keeps a node whose fence counter and lock keys survived. Pauses may hit
   * any node.
   */
  dataLossNodes: number[];
  /** Node restarts and resumes still to come. */
  background: Promise<void>[];
  record: FaultRecord;
  /** Adds a `fault` event to the scenario's history, to line faults up with what workers saw. */
  note(kind: string, detail: string): void;
}

/** How long a worker gets to reach a critical section after being asked to park. */
const PARK_TIMEOUT_MS = 8_000;
/** Pause between SIGCONT and `go`: lets the resumed event loop run its overdue timers. */
const RESUME_SETTLE_MS = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function count(target: FaultTarget, kind: FaultKind, detail = ''): void {
  target.record.injected[kind] = (target.record.injected[kind] ?? 0) + 1;
  target.note(kind, detail);
}

export async function injectFault(target: FaultTarget, fault: PlannedFault): Promise<void> {
  switch (fault.kind) {
    case 'holder-sigkill':
    case 'holder-sigstop':
      return holderFault(target, fault);
    case 'client-kill-normal':
    case 'client-kill-pubsub':
    case 'script-flush':
      return connectionFault(target, fault);
    case 'node-sigkill':
    case 'node-sigstop':
    case 'node-restart':
      return nodeFault(target, fault);
    case 'majority-empty-restart':
      throw new Error('majority-empty-restart runs through runMajorityRound');
  }
}

/** Asks a worker to park inside its next critical section; resolves the park event. */
async function parkHolder(
  target: FaultTarget,
  fault: PlannedFault,
): Promise<{ victim: WorkerProcess; park: Extract<HistoryEvent, { type: 'park' }> } | undefined> {
  const workers = target.liveWorkers();
  if (workers.length === 0) {
    target.record.skipped.push(`${fault.kind}: no live worker`);
    return undefined;
  }
  const victim = workers[fault.target % workers.length]!;
  const from = victim.events.length;
  victim.send('park');
  const park = await victim.waitFor((e) => e.type === 'park', PARK_TIMEOUT_MS, from);
  if (park?.type !== 'park') {
    victim.send('unpark');
    target.record.skipped.push(`${fault.kind}: ${victim.id} reached no critical section in time`);
    return undefined;
  }
  return { victim, park };
}

async function holderFault(target: FaultTarget, fault: PlannedFault): Promise<void> {
  const parked = await parkHolder(target, fault);
  if (parked === undefined) return;
  const { victim, park } = parked;
  if (fault.kind === 'holder-sigstop') {
    await victim.pause();
    count(target, fault.kind, `${victim.id}#${park.op} fence ${park.fence}`);
    await waitForTakeover(target, victim.id, park.fence, BigInt(park.validUntil));
    await victim.resume();
    target.note('holder-sigcont', victim.id);
    await sleep(RESUME_SETTLE_MS);
    victim.send('go');
    const done = await victim.waitFor(
      (e) => (e.type === 'exit' || e.type === 'after') && 'op' in e && e.op === park.op,
      15_000,
    );
    if (done === undefined && victim.alive) {
      target.record.problems.push(`${victim.id} did not leave its critical section after SIGCONT`);
    }
  } else {
    await victim.kill();
    count(target, fault.kind, `${victim.id}#${park.op} fence ${park.fence}`);
    await waitForTakeover(target, victim.id, park.fence, BigInt(park.validUntil));
    await target.replaceWorker(victim);
  }
}

/**
 * Waits until the victim's validity has passed and, where holders register with the fenced
 * store, until another holder registered a higher fence: only then does the stopped holder
 * resume, so that the write it still attempts meets a newer fence. No takeover within a
 * generous bound means the lock stayed unavailable past its ttl: a problem.
 */
async function waitForTakeover(
  target: FaultTarget,
  victim: string,
  fence: number,
  validUntil: bigint,
): Promise<void> {
  const deadline = validUntil + BigInt(3 * target.ttl + 10_000) * 1_000_000n;
  for (;;) {
    const now = process.hrtime.bigint();
    if (now > validUntil + 50_000_000n) {
      if (!target.fenced) return;
      const max = Number(await target.storeServer.command('HGET', target.keys.fenced, 'max'));
      if (max > fence) return;
    }
    if (now > deadline) {
      target.record.problems.push(
        `no holder took over from ${victim} (fence ${fence}) within ${3 * target.ttl + 10_000} ms of its ttl`,
      );
      return;
    }
    await sleep(25);
  }
}

/** A lock server to send a connection fault to: a running, non-faulty one. */
function healthyServer(target: FaultTarget, index: number): RedisServer | undefined {
  const n = target.lockServers.length;
  for (let i = 0; i < n; i++) {
    const at = (index + i) % n;
    const server = target.lockServers[at]!;
    if (server.state === 'running' && !target.faultyNodes.has(at)) return server;
  }
  return undefined;
}

async function connectionFault(target: FaultTarget, fault: PlannedFault): Promise<void> {
  // A node fault in the other lane may take the chosen node down meanwhile: try another.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = healthyServer(target, fault.target + attempt);
    if (server === undefined) break;
    try {
      if (fault.kind === 'client-kill-normal') {
        // SKIPME: keep the testkit's own admin connection.
        await server.command('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      } else if (fault.kind === 'client-kill-pubsub') {
        await server.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
      } else {
        await server.command('SCRIPT', 'FLUSH');
      }
      count(target, fault.kind, `port ${server.port}`);
      return;
    } catch (error) {
      lastError = error;
      await sleep(50);
    }
  }
  target.record.skipped.push(
    `${fault.kind}: ${lastError === undefined ? 'no healthy node' : (lastError as Error).message}`,
  );
}

async function nodeFault(target: FaultTarget, fault: PlannedFault): Promise<void> {
  const n = target.lockServers.length;
  const candidates = fault.kind === 'node-sigstop' ? [...Array(n).keys()] : target.dataLossNodes;
  const pick = (): number => {
    if (target.faultyNodes.size >= target.maxFaultyNodes) return -1;
    for (let i = 0; i < candidates.length; i++) {
      const at = candidates[(fault.target + i) % candidates.length]!;
      if (!target.faultyNodes.has(at) && target.lockServers[at]!.state === 'running') return at;
    }
    return -1;
  };
  // Wait for a slot: never more than a minority of nodes faulty at once.
  const deadline = Date.now() + 10_000;
  let index = pick();
  while (index === -1) {
    if (Date.now() > deadline) {
      target.record.skipped.push(`${fault.kind}: no node free to fault`);
      return;
    }
    await sleep(20);
    index = pick();
  }
  const server = target.lockServers[index]!;
  target.faultyNodes.add(index);
  const done = () => target.faultyNodes.delete(index);
  try {
    if (fault.kind === 'node-sigstop') await server.pause();
    else if (fault.kind === 'node-sigkill') await server.kill();
    else await server.stop();
  } catch (error) {
    done();
    target.record.skipped.push(`${fault.kind}: ${(error as Error).message}`);
    return;
  }
  count(target, fault.kind, `node ${index}`);
  target.background.push(
    (async () => {
      await sleep(fault.holdMs);
      try {
        if (fault.kind === 'node-sigstop') await server.resume();
        else await server.restart({ empty: true });
        target.note(
          fault.kind === 'node-sigstop' ? 'node-resumed' : 'node-restarted',
          `node ${index}`,
        );
      } catch (error) {
        target.record.problems.push(`node ${index} did not come back: ${(error as Error).message}`);
      } finally {
        done();
      }
    })(),
  );
}

/**
 * The known limit, one round: park a holder, kill a majority of nodes and restart them empty
 * at once (no delay), and let the other workers in while the parked holder's lock is still
 * valid. Then let the holder finish. Overlaps here are what the design documents, not a bug.
 */
export async function runMajorityRound(
  target: FaultTarget,
  fault: PlannedFault,
  random: SeededRandom,
): Promise<void> {
  const parked = await parkHolder(target, fault);
  if (parked === undefined) return;
  const { victim, park } = parked;
  const n = target.lockServers.length;
  const majority = Math.floor(n / 2) + 1;
  const indexes = [...Array(n).keys()];
  const chosen: number[] = [];
  while (chosen.length < majority) {
    chosen.push(indexes.splice(random.int(0, indexes.length - 1), 1)[0]!);
  }
  const marks = new Map(target.liveWorkers().map((w) => [w, w.events.length]));
  await Promise.all(
    chosen.map(async (i) => {
      const server = target.lockServers[i]!;
      await server.kill();
      await server.restart({ empty: true });
    }),
  );
  count(target, 'majority-empty-restart', `nodes ${chosen.join(', ')}`);
  // Give the others until shortly before the parked holder's validity ends to get in.
  const deadline = BigInt(park.validUntil) - 300_000_000n;
  while (process.hrtime.bigint() < deadline) {
    const entered = [...marks].some(
      ([worker, from]) =>
        worker !== victim && worker.events.slice(from).some((e) => e.type === 'enter'),
    );
    if (entered) break;
    await sleep(20);
  }
  victim.send('go');
  await victim.waitFor(
    (e) => (e.type === 'exit' || e.type === 'after') && 'op' in e && e.op === park.op,
    15_000,
  );
}
