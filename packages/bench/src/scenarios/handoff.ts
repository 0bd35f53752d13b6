import type { Budget } from '../bench-config.js';
import type { Implementation, LockClient } from '../implementations/lock-client.js';
import { commandDelta, readCommandStats, totalCommands } from '../measure/command-stats.js';
import { roundOrder } from '../measure/interleave.js';
import { percentile, spread } from '../measure/statistics.js';
import type { Figures, HandoffCell, Series } from '../results.js';
import {
  closeAll,
  describeError,
  errorsOf,
  noteError,
  type ScenarioContext,
  sleep,
  yieldToEventLoop,
} from './scenario-context.js';

export type HandoffMode = 'strict' | 'free';

/** What one phase of W workers on one key produced. */
interface PhaseOutcome {
  /** Every acquisition, including those of the wind-down after the stop. */
  acquisitions: number;
  /** Acquisitions before the stop, and the time until the stop: the rate. */
  counted: number;
  elapsedMs: number;
  /** Release called -> next acquire resolved, ms. */
  gaps: number[];
  /**
   * Per acquisition: the worker's first acquire call for it -> the acquire resolved, ms (a
   * library that gave up was asked again, and the wait runs on). Acquisitions of the wind-down
   * count too: a worker that barging kept waiting until the stop gets its turn there.
   */
  waits: number[];
  /** Acquisitions by a different worker than the one before. */
  handoffs: number;
  /** The library gave up (e.g. ran out of retries); the worker asked again. */
  failures: number;
  /** An acquire resolved while another worker held the lock. Must stay 0. */
  violations: number;
  /** Workers had not finished `windDownMs` after the stop. */
  stuck: boolean;
}

/**
 * W workers, each with its own client (connection and library state), take turns on one key
 * and hold it for `holdMs`. Free-for-all: a worker asks again right after its release.
 * Strict: it asks again only once another worker has acquired, so every gap is a handoff to a
 * worker that was already waiting.
 */
async function runPhase(
  clients: readonly LockClient[],
  mode: HandoffMode,
  key: string,
  ttl: number,
  holdMs: number,
  budget: Budget,
  windDownMs: number,
  errors: string[],
): Promise<PhaseOutcome> {
  const outcome: PhaseOutcome = {
    acquisitions: 0,
    counted: 0,
    elapsedMs: 0,
    gaps: [],
    waits: [],
    handoffs: 0,
    failures: 0,
    violations: 0,
    stuck: false,
  };
  let stopping = false;
  let holder = -1;
  let lastOwner = -1;
  let releasedAt: number | undefined;
  const started = performance.now();
  let sleepers: (() => void)[] = [];
  const wakeAll = () => {
    const woken = sleepers;
    sleepers = [];
    for (const wake of woken) wake();
  };
  let onStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    onStop = resolve;
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    outcome.counted = outcome.acquisitions;
    outcome.elapsedMs = performance.now() - started;
    wakeAll();
    onStop();
  };
  const timer = setTimeout(stop, budget.ms);

  const worker = async (client: LockClient, index: number) => {
    let mine = -1; // the acquisition count right after this worker's last acquisition
    let askedAt: number | undefined; // first acquire call of the acquisition asked for now
    while (!stopping) {
      if (mode === 'strict' && mine >= 0 && outcome.acquisitions <= mine) {
        await new Promise<void>((resolve) => sleepers.push(resolve));
        continue;
      }
      let held: Awaited<ReturnType<LockClient['acquire']>>;
      askedAt ??= performance.now();
      try {
        held = await client.acquire(key, ttl);
      } catch (error) {
        outcome.failures++;
        noteError(errors, error);
        await yieldToEventLoop();
        continue;
      }
      const now = performance.now();
      if (holder !== -1) outcome.violations++;
      holder = index;
      if (releasedAt !== undefined) outcome.gaps.push(now - releasedAt);
      outcome.waits.push(now - askedAt);
      askedAt = undefined;
      if (lastOwner !== -1 && lastOwner !== index) outcome.handoffs++;
      lastOwner = index;
      mine = ++outcome.acquisitions;
      wakeAll();
      if (outcome.acquisitions >= budget.acquisitions) stop();
      await sleep(holdMs);
      holder = -1;
      releasedAt = performance.now();
      try {
        await held.release();
      } catch (error) {
        noteError(errors, error);
      }
    }
  };

  const workers = Promise.all(clients.map(worker));
  await stopped;
  clearTimeout(timer);
  const finished = await Promise.race([
    workers.then(() => true),
    sleep(windDownMs).then(() => false),
  ]);
  outcome.stuck = !finished;
  return outcome;
}

export interface HandoffSetting {
  readonly mode: HandoffMode;
  readonly workers: number;
}

/** Scenario 3: contended handoff on one key, in every setting, implementations interleaved. */
export async function runHandoff(
  ctx: ScenarioContext,
  settings: readonly { setting: HandoffSetting; impls: readonly Implementation[] }[],
): Promise<HandoffCell[]> {
  const cells: HandoffCell[] = [];
  for (const { setting, impls } of settings) {
    ctx.log(`handoff: ${setting.mode}, W = ${setting.workers}`);
    cells.push({ ...setting, series: await runSetting(ctx, setting, impls) });
  }
  return cells;
}

interface Totals {
  acquisitions: number;
  counted: number;
  elapsedMs: number;
  longestPhaseMs: number;
  gaps: number[];
  waits: number[];
  handoffs: number;
  failures: number;
  violations: number;
  stuck: number;
  attempts: number;
  attemptsKnown: boolean;
  commands: Map<string, number>;
}

async function runSetting(
  ctx: ScenarioContext,
  setting: HandoffSetting,
  impls: readonly Implementation[],
): Promise<Series[]> {
  const { rounds, holdMs, warm, measure, windDownMs } = ctx.config.handoff;
  const { ttl } = ctx.config;
  const errors = new Map<string, string[]>();
  const perRound = new Map<string, Figures[]>();
  const totals = new Map<string, Totals>();

  for (let round = 0; round < rounds; round++) {
    for (const impl of roundOrder(impls, round)) {
      const list = perRound.get(impl.id) ?? [];
      perRound.set(impl.id, list);
      const total =
        totals.get(impl.id) ??
        ({
          acquisitions: 0,
          counted: 0,
          elapsedMs: 0,
          longestPhaseMs: 0,
          gaps: [] as number[],
          waits: [] as number[],
          handoffs: 0,
          failures: 0,
          violations: 0,
          stuck: 0,
          attempts: 0,
          attemptsKnown: true,
          commands: new Map(),
        } satisfies Totals);
      totals.set(impl.id, total);
      const implErrors = errorsOf(errors, impl.id);
      // A fresh key per round: a lock an abandoned client left behind cannot block the next.
      const key = `bench:handoff:${setting.mode}:${setting.workers}:${impl.id}:${round}`;
      let clients: LockClient[] = [];
      try {
        const opened = await Promise.allSettled(
          Array.from({ length: setting.workers }, () => impl.open([ctx.single])),
        );
        clients = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
        const failed = opened.find((o) => o.status === 'rejected');
        if (failed !== undefined) throw failed.reason;
        // Warm-up under the same load: connections, script caches, subscriptions.
        await runPhase(clients, setting.mode, key, ttl, holdMs, warm, windDownMs, []);
        await sleep(20);
        const attemptsBefore = sumAttempts(clients);
        const before = await readCommandStats(ctx.single);
        const phase = await runPhase(
          clients,
          setting.mode,
          key,
          ttl,
          holdMs,
          measure,
          windDownMs,
          implErrors,
        );
        const after = await readCommandStats(ctx.single);
        const attemptsAfter = sumAttempts(clients);
        const delta = commandDelta(before, after);
        const commands = totalCommands(delta);
        const attempts =
          attemptsBefore === undefined || attemptsAfter === undefined
            ? undefined
            : attemptsAfter - attemptsBefore;
        const wait = spread(phase.waits);
        list[round] = {
          gapP50: percentile(phase.gaps, 50),
          gapP99: percentile(phase.gaps, 99),
          waitP50: wait.p50,
          waitP99: wait.p99,
          waitMax: wait.max,
          phaseMs: phase.elapsedMs,
          rate: (phase.counted / phase.elapsedMs) * 1_000,
          commands: commands / phase.acquisitions,
          attempts: attempts === undefined ? Number.NaN : attempts / phase.acquisitions,
          failures: phase.failures,
          acquisitions: phase.acquisitions,
        };
        total.acquisitions += phase.acquisitions;
        total.counted += phase.counted;
        total.elapsedMs += phase.elapsedMs;
        total.longestPhaseMs = Math.max(total.longestPhaseMs, phase.elapsedMs);
        total.gaps.push(...phase.gaps);
        total.waits.push(...phase.waits);
        total.handoffs += phase.handoffs;
        total.failures += phase.failures;
        total.violations += phase.violations;
        total.stuck += phase.stuck ? 1 : 0;
        if (attempts === undefined) total.attemptsKnown = false;
        else total.attempts += attempts;
        for (const [name, calls] of delta) {
          total.commands.set(name, (total.commands.get(name) ?? 0) + calls);
        }
        if (phase.stuck) implErrors.push(`workers still busy ${windDownMs} ms after the stop`);
      } catch (error) {
        noteError(implErrors, error);
        list[round] = { gapP50: Number.NaN, rate: Number.NaN, commands: Number.NaN };
        ctx.log(`  ${impl.label}: ${describeError(error)}`);
      } finally {
        await closeAll(clients);
      }
    }
  }

  return impls.map((impl): Series => {
    const total = totals.get(impl.id);
    if (total === undefined || total.acquisitions === 0) {
      return {
        id: impl.id,
        pooled: {},
        rounds: perRound.get(impl.id) ?? [],
        errors: errors.get(impl.id) ?? [],
      };
    }
    const n = total.acquisitions;
    const wait = spread(total.waits);
    return {
      id: impl.id,
      pooled: {
        gapP50: percentile(total.gaps, 50),
        gapP99: percentile(total.gaps, 99),
        waitP50: wait.p50,
        waitP99: wait.p99,
        waitMax: wait.max,
        // The longest phase (start to stop): a wait ends at the latest in the wind-down after it.
        phaseMs: total.longestPhaseMs,
        rate: (total.counted / total.elapsedMs) * 1_000,
        commands: totalCommands(total.commands) / n,
        attempts: total.attemptsKnown ? total.attempts / n : Number.NaN,
        failures: total.failures,
        acquisitions: n,
        handoffShare: total.handoffs / Math.max(1, n - 1),
        violations: total.violations,
        stuck: total.stuck,
      },
      rounds: perRound.get(impl.id) ?? [],
      commands: Object.fromEntries([...total.commands].map(([name, calls]) => [name, calls / n])),
      errors: errors.get(impl.id) ?? [],
    };
  });
}

function sumAttempts(clients: readonly LockClient[]): number | undefined {
  let sum = 0;
  for (const client of clients) {
    const attempts = client.counters?.().attempts;
    if (attempts === undefined) return undefined;
    sum += attempts;
  }
  return sum;
}
