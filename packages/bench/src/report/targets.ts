import { find, floorOf, notifiedOf, num, type ReportData, ratio } from './report-data.js';
import { formatNumber } from './svg-charts.js';

/** One measured check of a target for one implementation. */
export interface Verdict {
  /** The figure as printed, e.g. `1.02× (0.231 vs 0.226 ms)`. */
  readonly shown: string;
  /** undefined: not measured in this run. */
  readonly pass: boolean | undefined;
}

export interface Target {
  /** Stable id; the miss analysis is keyed by it. */
  readonly id: string;
  /** The issue that set it. */
  readonly issue: 11 | 12;
  readonly text: string;
  readonly limit: string;
  /** Verdict per implementation id. */
  readonly verdicts: ReadonlyMap<string, Verdict>;
}

const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const ms = (value: number) => `${formatNumber(value)} ms`;

function check(value: number, ok: (v: number) => boolean): boolean | undefined {
  return Number.isFinite(value) ? ok(value) : undefined;
}

/** Evaluates every target of issues 11 and 12 against one run's results. */
export function evaluateTargets(data: ReportData): Target[] {
  const { results } = data;
  const targets: Target[] = [];
  const add = (target: Omit<Target, 'verdicts'>, verdicts: Map<string, Verdict>) => {
    if (verdicts.size > 0) targets.push({ ...target, verdicts });
  };

  // 1. Sequential, against the floor on the adapter's own client.
  {
    const verdicts = new Map<string, Verdict>();
    for (const id of data.deadboltSingle(results.sequential)) {
      const own = find(results.sequential, id);
      const floor = data.sameClientFloor(id, results.sequential);
      const r = ratio(own, floor, 'p50');
      verdicts.set(id, {
        shown: `${x(r)} (${ms(num(own?.pooled.p50))} vs ${ms(num(floor?.pooled.p50))}, ${data.label(floor?.id ?? '')})`,
        pass: check(r, (v) => v <= 1.05),
      });
    }
    add(
      {
        id: 'sequential-p50',
        issue: 11,
        text: 'Sequential p50',
        limit: '≤ 1.05× floor (same client)',
      },
      verdicts,
    );
  }

  // 2. Concurrent throughput.
  {
    const verdicts = new Map<string, Verdict>();
    for (const id of data.deadboltSingle(results.concurrent)) {
      const own = find(results.concurrent, id);
      const floor = data.sameClientFloor(id, results.concurrent);
      const r = ratio(own, floor, 'throughput');
      verdicts.set(id, {
        shown: `${x(r)} (${formatNumber(num(own?.pooled.throughput))} vs ${formatNumber(num(floor?.pooled.throughput))} /s)`,
        pass: check(r, (v) => v >= 0.95),
      });
    }
    add(
      {
        id: 'concurrent-throughput',
        issue: 11,
        text: 'Concurrent throughput (200 in flight)',
        limit: '≥ 0.95× floor (same client)',
      },
      verdicts,
    );
  }

  // 3. Strict handoff at W = 8 with defaults.
  const w8 = data.cell('strict', results.config.handoff.workers);
  if (w8 !== undefined) {
    const floor = floorOf(w8.series);
    const notified = notifiedOf(w8.series);
    const gap = new Map<string, Verdict>();
    const commands = new Map<string, Verdict>();
    for (const id of data.deadboltSingle(w8.series)) {
      const own = find(w8.series, id);
      const g = ratio(own, floor, 'gapP50');
      gap.set(id, {
        shown: `${x(g)} (${ms(num(own?.pooled.gapP50))} vs ${ms(num(floor?.pooled.gapP50))})`,
        pass: check(g, (v) => v <= 1.5),
      });
      const c = ratio(own, notified, 'commands');
      commands.set(id, {
        shown: `${x(c)} (${formatNumber(num(own?.pooled.commands))} vs ${formatNumber(num(notified?.pooled.commands))})`,
        pass: check(c, (v) => v <= 1),
      });
    }
    add(
      {
        id: 'strict8-gap',
        issue: 11,
        text: `Strict handoff, W = ${w8.workers}: gap p50`,
        limit: '≤ 1.5× floor',
      },
      gap,
    );
    add(
      {
        id: 'strict8-commands',
        issue: 11,
        text: `Strict handoff, W = ${w8.workers}: commands per acquisition`,
        limit: '≤ notified reference',
      },
      commands,
    );
  }

  // 4. Growth against the notified reference.
  for (const workers of results.config.handoff.growth) {
    const cell = data.cell('strict', workers);
    if (cell === undefined) continue;
    const notified = notifiedOf(cell.series);
    const gap = new Map<string, Verdict>();
    const commands = new Map<string, Verdict>();
    for (const id of data.deadboltSingle(cell.series)) {
      const own = find(cell.series, id);
      const g = ratio(own, notified, 'gapP50');
      gap.set(id, {
        shown: `${x(g)} (${ms(num(own?.pooled.gapP50))} vs ${ms(num(notified?.pooled.gapP50))})`,
        pass: check(g, (v) => v <= 1.5),
      });
      const c = ratio(own, notified, 'commands');
      commands.set(id, {
        shown: `${x(c)} (${formatNumber(num(own?.pooled.commands))} vs ${formatNumber(num(notified?.pooled.commands))})`,
        pass: check(c, (v) => v <= 1),
      });
    }
    add(
      {
        id: 'growth-gap',
        issue: 11,
        text: `Growth, W = ${workers}: gap p50`,
        limit: '≤ 1.5× notified reference',
      },
      gap,
    );
    add(
      {
        id: 'growth-commands',
        issue: 11,
        text: `Growth, W = ${workers}: commands per acquisition`,
        limit: '≤ notified reference',
      },
      commands,
    );
  }

  // 5. Quorum.
  for (const { nodes, series } of results.quorum) {
    const own = find(series, 'deadbolt-redlock');
    const floor = floorOf(series);
    if (own === undefined) continue;
    const r = ratio(own, floor, 'p50');
    add(
      { id: 'quorum-p50', issue: 11, text: `Quorum p50, ${nodes} nodes`, limit: '≤ 1.1× floor' },
      new Map([
        [
          own.id,
          {
            shown: `${x(r)} (${ms(num(own.pooled.p50))} vs ${ms(num(floor?.pooled.p50))})`,
            pass: check(r, (v) => v <= 1.1),
          },
        ],
      ]),
    );
  }

  // 6. Faults.
  const fault = results.faults.find((f) => f.id === 'deadbolt-redlock');
  if (fault !== undefined) {
    const { minority, majority } = fault;
    add(
      {
        id: 'faults-minority',
        issue: 11,
        text: '2 of 5 nodes stopped: success rate',
        limit: '100%',
      },
      new Map([
        [
          fault.id,
          {
            shown: `${minority.succeeded}/${minority.attempted} (p50 ${ms(num(minority.p50))})`,
            pass: minority.attempted > 0 ? minority.succeeded === minority.attempted : undefined,
          },
        ],
      ]),
    );
    const stopped = [2, 3, 4];
    const named =
      majority.timedOutNodes !== undefined &&
      stopped.every((n) => majority.timedOutNodes!.includes(n));
    add(
      {
        id: 'faults-majority',
        issue: 11,
        text: '3 of 5 nodes stopped: failure reported',
        limit: 'QuorumError naming the timed-out nodes, ≤ 1 s',
      },
      new Map([
        [
          fault.id,
          {
            shown:
              majority.outcome === 'failed'
                ? `${majority.errorName || 'error'} after ${ms(num(majority.ms))}, timed out: ${
                    majority.timedOutNodes?.map((n) => `#${n}`).join(', ') || 'none named'
                  }`
                : `${majority.outcome} within ${ms(majority.capMs)}`,
            pass:
              majority.outcome === 'failed' &&
              majority.errorName === 'QuorumError' &&
              named &&
              num(majority.ms) <= 1_000,
          },
        ],
      ]),
    );
  }

  // 7. Memory.
  {
    const verdicts = new Map<string, Verdict>();
    for (const m of results.memory) {
      if (data.info(m.id)?.kind !== 'deadbolt') continue;
      const heldHeap = num(m.heapPerLock) * m.locks;
      const growthShare = num(m.growthBytes) / heldHeap;
      const passShare = num(m.passGrowthBytes) / heldHeap;
      const pass =
        m.error === undefined &&
        passShare <= 0.02 &&
        num(m.leftHandles) <= 0 &&
        (m.extensions ?? 0) > 0 &&
        (m.lost ?? 0) === 0;
      verdicts.set(m.id, {
        shown:
          m.error ??
          `${formatNumber(num(m.heapPerLock))} B heap and ${formatNumber(num(m.handlesPerLock))} handles per lock; growth across two passes ${(passShare * 100).toFixed(1)}% (while held: ${(growthShare * 100).toFixed(1)}%, noisy); ${m.extensions ?? '?'} extensions, ${m.lost ?? '?'} lost`,
        pass,
      });
    }
    add(
      {
        id: 'memory',
        issue: 11,
        text: `Memory, ${results.config.memory.locks} locks auto-extended`,
        limit:
          'stated; heap growth across two hold-and-release passes ≤ 2% of the held heap, handles back, none lost',
      },
      verdicts,
    );
  }

  // Issue 12 (targeted wake-up), measured by the same runs: how far the current build is.
  {
    const [first] = results.config.handoff.growth;
    const last = results.config.handoff.growth.at(-1);
    const low = first === undefined ? undefined : data.cell('strict', first);
    const high = last === undefined ? undefined : data.cell('strict', last);
    if (low !== undefined && high !== undefined && first !== last) {
      const flat = new Map<string, Verdict>();
      const quarter = new Map<string, Verdict>();
      const notified = notifiedOf(high.series);
      for (const id of data.deadboltSingle(high.series)) {
        const a = num(find(low.series, id)?.pooled.commands);
        const b = num(find(high.series, id)?.pooled.commands);
        flat.set(id, {
          shown: `${x(b / a)} (${formatNumber(b)} vs ${formatNumber(a)})`,
          pass: check(b / a, (v) => v <= 1.5),
        });
        const r = ratio(find(high.series, id), notified, 'commands');
        quarter.set(id, {
          shown: `${x(r)} (${formatNumber(b)} vs ${formatNumber(num(notified?.pooled.commands))})`,
          pass: check(r, (v) => v <= 0.25),
        });
      }
      add(
        {
          id: 'issue12-flat',
          issue: 12,
          text: `Commands per acquisition, W = ${last} vs W = ${first}`,
          limit: '≤ 1.5× own W = 2 figure',
        },
        flat,
      );
      add(
        {
          id: 'issue12-quarter',
          issue: 12,
          text: `Commands per acquisition, W = ${last}`,
          limit: '≤ 0.25× notified reference',
        },
        quarter,
      );
    }
    for (const workers of results.config.handoff.growth) {
      const cell = data.cell('strict', workers);
      if (cell === undefined) continue;
      const floor = floorOf(cell.series);
      const verdicts = new Map<string, Verdict>();
      for (const id of data.deadboltSingle(cell.series)) {
        const own = find(cell.series, id);
        const r = ratio(own, floor, 'gapP50');
        verdicts.set(id, {
          shown: `${x(r)} (${ms(num(own?.pooled.gapP50))} vs ${ms(num(floor?.pooled.gapP50))})`,
          pass: check(r, (v) => v <= 1.5),
        });
      }
      add(
        { id: 'issue12-gap', issue: 12, text: `Gap p50, W = ${workers}`, limit: '≤ 1.5× floor' },
        verdicts,
      );
    }
  }
  return targets;
}

export function verdictText(pass: boolean | undefined): string {
  return pass === undefined ? 'not measured' : pass ? 'pass' : '**MISS**';
}
