import { type RedisServer, startRedisServer, startRedisServers } from '@deadbolt/testkit';
import { checkLockView, type LockViewResult } from '../checkers/check-lock-view.js';
import { checkLostUpdates, type LostUpdateResult } from '../checkers/check-lost-updates.js';
import { checkOverlap, type OverlapResult } from '../checkers/check-overlap.js';
import { checkStaleWrites, type StaleWriteResult } from '../checkers/check-stale-writes.js';
import { type PlannedFault, planFaults } from '../faults/fault-schedule.js';
import {
  type FaultRecord,
  type FaultTarget,
  injectFault,
  runMajorityRound,
} from '../faults/inject-fault.js';
import { collectAcquisitions } from '../history/acquisitions.js';
import type { HistoryEvent } from '../history/history-event.js';
import { seededRandom } from '../seeded-random.js';
import { storeKeys } from '../store/chaos-store.js';
import type { WorkerConfig } from '../workers/worker-config.js';
import { WorkerProcess } from '../workers/worker-process.js';
import type { ScenarioSpec } from './scenario-spec.js';

/** What one scenario's run showed. */
export interface ScenarioResult {
  spec: ScenarioSpec;
  /** The planned faults of each lane (fixed by the seed). */
  plan: PlannedFault[][];
  /** Redlock: the minority of nodes that node kills and restarts may hit. */
  dataLossNodes: number[];
  elapsedMs: number;
  attempts: number;
  acquisitions: number;
  failures: Record<string, number>;
  faults: FaultRecord;
  overlap: OverlapResult;
  /** Undefined where holders do not write the counter (semaphore). */
  lostUpdates: LostUpdateResult | undefined;
  staleWrites: StaleWriteResult | undefined;
  lockView: LockViewResult;
  /** The fenced store's own counts, to cross-check the history. */
  store: { accepted: number; rejected: number };
  unhandled: string[];
  workerProblems: string[];
  /** Broken promises (empty when the scenario passed). For the known limit: only crashes. */
  violations: string[];
  /** The merged history of all workers, in arrival order (written out on a violation). */
  events: HistoryEvent[];
}

/** How long workers get to start (node + tsx) and to stop once asked. */
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
/** Faults start after warm-up and end before the workload does, ms. */
const FAULTS_FROM_MS = 800;
const FAULTS_UNTIL_END_MS = 2_500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runScenario(
  spec: ScenarioSpec,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const servers: RedisServer[] = [];
  const workers: WorkerProcess[] = [];
  try {
    const lockServers = await startRedisServers(spec.nodes);
    servers.push(...lockServers);
    const storeServer = await startRedisServer();
    servers.push(storeServer);
    const keys = storeKeys(spec.id);
    const random = seededRandom(spec.seed);
    let nextWorker = 0;

    const configFor = (): WorkerConfig => {
      const worker = `w${++nextWorker}`;
      return {
        worker,
        seed: random.fork(worker).int(0, 2 ** 31),
        backend: spec.backend,
        ports: lockServers.map((s) => s.port),
        storePort: storeServer.port,
        store: keys,
        primitive: spec.primitive,
        name: `chaos:${spec.id}`,
        limit: spec.limit,
        ttl: spec.ttl,
        wait: spec.wait,
        workMs: spec.workMs,
        pauseMs: spec.pauseMs,
        writeShare: spec.writeShare,
        styles: spec.styles,
        extendShare: spec.extendShare,
        writeMarginMs: 250,
      };
    };
    const startWorker = async (): Promise<WorkerProcess> => {
      const worker = new WorkerProcess(configFor());
      workers.push(worker);
      const ready = await worker.waitFor((e) => e.type === 'start', START_TIMEOUT_MS);
      if (ready === undefined) {
        throw new Error(`worker ${worker.id} did not start: ${worker.stderr.slice(-1_000)}`);
      }
      return worker;
    };
    await Promise.all(Array.from({ length: spec.workers }, startWorker));
    log(`  ${spec.workers} workers up; ${spec.nodes} lock node(s), store on :${storeServer.port}`);

    const record: FaultRecord = { injected: {}, skipped: [], problems: [] };
    const faultEvents: HistoryEvent[] = [];
    const target: FaultTarget = {
      lockServers,
      storeServer,
      keys,
      ttl: spec.ttl,
      fenced: spec.primitive !== 'semaphore',
      liveWorkers: () => workers.filter((w) => w.alive && !w.stopped),
      replaceWorker: async (victim) => {
        victim.stopped = true;
        await startWorker();
      },
      faultyNodes: new Set(),
      maxFaultyNodes: Math.floor((spec.nodes - 1) / 2),
      dataLossNodes: pickMinority(random.fork('data-loss'), spec.nodes),
      background: [],
      record,
      note: (kind, detail) =>
        faultEvents.push({
          type: 'fault',
          worker: 'chaos',
          t: process.hrtime.bigint().toString(),
          kind,
          detail,
        }),
    };

    const plan = spec.lanes.map((lane, i) =>
      planFaults(
        random.fork(`lane${i}`),
        lane,
        FAULTS_FROM_MS,
        spec.durationMs - FAULTS_UNTIL_END_MS,
      ),
    );
    const loadStart = performance.now();
    target.note('load-start', '');
    if (spec.majorityRounds !== undefined) {
      await sleep(1_000);
      const rounds = random.fork('majority');
      for (let round = 0; round < spec.majorityRounds; round++) {
        await runMajorityRound(
          target,
          { at: 0, kind: 'majority-empty-restart', target: round, holdMs: 0 },
          rounds,
        );
        await sleep(800);
      }
    } else {
      await Promise.all(
        plan.map(async (lanePlan) => {
          for (const fault of lanePlan) {
            const wait = loadStart + fault.at - performance.now();
            if (wait > 0) await sleep(wait);
            await injectFault(target, fault);
          }
        }),
      );
      const left = loadStart + spec.durationMs - performance.now();
      if (left > 0) await sleep(left);
    }
    await Promise.all(target.background);

    const workerProblems: string[] = [];
    for (const worker of workers) worker.send('stop');
    await Promise.all(
      workers.map(async (worker) => {
        if (await worker.exited(STOP_TIMEOUT_MS)) return;
        workerProblems.push(`${worker.id} did not exit within ${STOP_TIMEOUT_MS} ms of stop`);
        await worker.kill();
      }),
    );
    for (const worker of workers) {
      if (worker.killedOnPurpose) continue;
      const exit = worker.exit;
      if (exit !== undefined && exit.code !== 0) {
        workerProblems.push(
          `${worker.id} exited with ${exit.code ?? exit.signal}: ${worker.stderr.trim().slice(-600)}`,
        );
      } else if (!worker.events.some((e) => e.type === 'done')) {
        workerProblems.push(`${worker.id} ended without finishing its loop`);
      }
    }

    const events: HistoryEvent[] = [...faultEvents, ...workers.flatMap((w) => w.events)];
    const acquisitions = collectAcquisitions(events);
    const counter = Number((await storeServer.command('GET', keys.counter)) ?? 0);
    const [accepted, rejected] = (await storeServer.command(
      'HMGET',
      keys.fenced,
      'accepted',
      'rejected',
    )) as (string | null)[];
    const writes = spec.primitive !== 'semaphore';
    const failures: Record<string, number> = {};
    for (const e of events) {
      if (e.type === 'fail') failures[e.error] = (failures[e.error] ?? 0) + 1;
    }
    const result: ScenarioResult = {
      spec,
      plan,
      dataLossNodes: target.dataLossNodes,
      elapsedMs: performance.now() - started,
      attempts: events.filter((e) => e.type === 'invoke').length,
      acquisitions: acquisitions.length,
      failures,
      faults: record,
      overlap: checkOverlap(
        acquisitions,
        spec.primitive === 'semaphore'
          ? { type: 'semaphore', limit: spec.limit }
          : spec.primitive === 'read-write'
            ? { type: 'read-write' }
            : { type: 'mutex' },
      ),
      lostUpdates: writes ? checkLostUpdates(acquisitions, counter) : undefined,
      staleWrites: writes ? checkStaleWrites(acquisitions) : undefined,
      lockView: checkLockView(acquisitions),
      store: { accepted: Number(accepted ?? 0), rejected: Number(rejected ?? 0) },
      unhandled: events.flatMap((e) => (e.type === 'unhandled' ? [`${e.worker}: ${e.error}`] : [])),
      workerProblems,
      violations: [],
      events,
    };
    result.violations = judge(result);
    return result;
  } finally {
    for (const worker of workers) if (worker.alive) await worker.kill();
    await Promise.allSettled(servers.map((server) => server.stop()));
  }
}

/** A seeded minority of node indexes (for 5 nodes: 2). */
function pickMinority(random: ReturnType<typeof seededRandom>, nodes: number): number[] {
  const left = [...Array(nodes).keys()];
  const chosen: number[] = [];
  while (chosen.length < Math.floor((nodes - 1) / 2)) {
    chosen.push(left.splice(random.int(0, left.length - 1), 1)[0]!);
  }
  return chosen.sort((a, b) => a - b);
}

/** The promised properties this result breaks. */
function judge(result: ScenarioResult): string[] {
  const violations: string[] = [];
  const v = (condition: boolean, text: string) => condition && violations.push(text);
  v(
    result.unhandled.length > 0,
    `${result.unhandled.length} unhandled error(s) in workers: ${result.unhandled.join('; ')}`,
  );
  for (const problem of result.workerProblems) violations.push(problem);
  if (!result.spec.promised) return violations;
  const { overlap, lostUpdates, staleWrites, lockView } = result;
  v(overlap.overlaps > 0, `${overlap.overlaps} overlap(s)`);
  v((lostUpdates?.lost ?? 0) > 0, `${lostUpdates?.lost} lost update(s)`);
  v(
    (lostUpdates?.unexplained ?? 0) > 0,
    `${lostUpdates?.unexplained} unexplained counter write(s)`,
  );
  v((staleWrites?.staleAccepted ?? 0) > 0, `${staleWrites?.staleAccepted} stale write(s) accepted`);
  v(
    (staleWrites?.validRejected ?? 0) > 0,
    `${staleWrites?.validRejected} access(es) of a valid holder rejected (fence went back)`,
  );
  v(
    lockView.signalNotAborted > 0,
    `${lockView.signalNotAborted} holder(s) resumed without an aborted signal`,
  );
  v(
    lockView.writesPastValidity > 0,
    `${lockView.writesPastValidity} counter write(s) past validity`,
  );
  v(result.acquisitions === 0, 'no acquisition at all');
  for (const problem of result.faults.problems) violations.push(problem);
  return violations;
}
