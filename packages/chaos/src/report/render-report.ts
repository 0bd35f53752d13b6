import { FAULT_LABELS } from '../faults/fault-schedule.js';
import type { ScenarioResult } from '../scenarios/run-scenario.js';
import type { ChaosRun } from './chaos-run.js';
import {
  faultBreakdown,
  knownLimitRows,
  markdownTable,
  promisedRows,
  SUMMARY_HEADER,
} from './summary-rows.js';

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  return total >= 60 ? `${Math.floor(total / 60)} min ${total % 60} s` : `${total} s`;
}

function otherChecks(results: ScenarioResult[]): string {
  const header = [
    'scenario',
    'valid holders refused by the fence',
    'resumed past ttl / signal not aborted',
    'counter writes past validity',
    'takeover / worker problems',
    'acquire failures (contention, timeouts, errors)',
  ];
  const rows = results.map((r) => [
    r.spec.id,
    r.staleWrites === undefined ? 'n/a' : String(r.staleWrites.validRejected),
    `${r.lockView.resumedPastValidity} / ${r.lockView.signalNotAborted}`,
    String(r.lockView.writesPastValidity),
    String(r.faults.problems.length + r.workerProblems.length),
    Object.entries(r.failures)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || 'none',
  ]);
  return markdownTable(header, rows);
}

function schedules(run: ChaosRun): string {
  const rows = run.scenarios.map((r) => [
    r.spec.id,
    `\`${r.spec.seed}\``,
    String(r.spec.workers),
    `${r.spec.nodes}`,
    `${r.spec.ttl} ms`,
    r.spec.majorityRounds !== undefined
      ? `${r.spec.majorityRounds} rounds`
      : seconds(r.spec.durationMs),
    r.spec.majorityRounds !== undefined
      ? 'park a holder; SIGKILL 3 of 5 nodes and restart them empty at once; let the others in; resume the holder'
      : r.spec.lanes
          .map(
            (lane, i) =>
              `lane ${i + 1}: ${lane.kinds.map((k) => FAULT_LABELS[k]).join(', ')}; ` +
              `every ${lane.gapMs[0]}–${lane.gapMs[1]} ms` +
              (lane.downMs === undefined
                ? ''
                : `; down ${lane.downMs} ms (> ttl); kills and restarts only on nodes ${r.dataLossNodes.join(' and ')}, ` +
                  `at most ${Math.floor((r.spec.nodes - 1) / 2)} nodes faulty at once`) +
              (lane.pauseMs === undefined
                ? ''
                : `; paused ${lane.pauseMs[0]}–${lane.pauseMs[1]} ms`) +
              ` (${r.plan[i]?.length ?? 0} planned)`,
          )
          .join('<br>'),
  ]);
  const plans = run.scenarios
    .filter((r) => r.plan.length > 0)
    .map(
      (r) =>
        `- \`${r.spec.id}\`: ` +
        r.plan
          .map(
            (lane, i) =>
              `lane ${i + 1}: ${lane.map((f) => `${(f.at / 1000).toFixed(1)} s ${f.kind}`).join(', ')}`,
          )
          .join('; '),
    )
    .join('\n');
  return [
    markdownTable(['scenario', 'seed', 'workers', 'nodes', 'ttl', 'load', 'faults'], rows),
    '',
    '<details><summary>Planned faults (times after the load starts; each waits for the one before it in its lane)</summary>',
    '',
    plans,
    '',
    '</details>',
  ].join('\n');
}

function fuzzSection(run: ChaosRun): string {
  const fuzz = run.fuzz;
  if (fuzz === undefined) return '_Not run._';
  const rows = fuzz.outcomes.map((o) => [
    `\`${o.name}\``,
    String(o.calls),
    String(o.typeErrors),
    String(o.rangeErrors),
    String(o.deadboltErrors),
    o.keyspaceChanged ? 'yes' : 'no',
    String(o.unhandled),
    o.failure === undefined ? 'pass' : `FAIL: ${o.failure.split('\n')[0]}`,
  ]);
  const total = fuzz.outcomes.reduce((n, o) => n + o.calls, 0);
  return [
    `${total} generated calls over ${fuzz.outcomes.length} functions, at least ${fuzz.runsPerFunction} each ` +
      `(fast-check seed \`${fuzz.seed}\`, ${seconds(fuzz.elapsedMs)}). Each call has exactly one bad argument or option; ` +
      'it must fail with a `TypeError`, `RangeError` or `DeadboltError` whose message names that argument, ' +
      'send no command (the client is wrapped in a counter), and leave no unhandled rejection. ' +
      'The keyspace (DBSIZE, and SCAN with a DUMP of each key) is compared before and after each function.',
    '',
    markdownTable(
      [
        'function',
        'calls',
        'TypeError',
        'RangeError',
        'DeadboltError',
        'keyspace changed',
        'unhandled',
        'result',
      ],
      rows,
    ),
    '',
    fuzz.nullAsUnset.length === 0
      ? ''
      : `Finding (not counted as a failure): \`createLocks\` / \`createRedlock\` take \`null\` as "not set" for ${fuzz.nullAsUnset
          .map((p) => `\`${p}\``)
          .join(', ')}, while per-call options refuse \`null\` with a \`TypeError\`. ` +
        'The fuzz leaves `null` out for those options.',
  ].join('\n');
}

function leakSection(run: ChaosRun): string {
  const leak = run.leak;
  if (leak === undefined) return '_Not run._';
  return [
    markdownTable(
      [
        'cycles',
        'waits',
        'aborts',
        'extensions',
        'refused',
        'lost under load',
        'heap before',
        'heap after',
        'growth (bound)',
        'exit after the loop (bound)',
        'unhandled',
      ],
      [
        [
          String(leak.cycles),
          String(leak.waits),
          String(leak.aborts),
          String(leak.extensions),
          String(leak.refused),
          String(leak.lost),
          mib(leak.heapBefore),
          mib(leak.heapAfter),
          `${mib(leak.heapGrowth)} (≤ ${mib(leak.heapBound)})`,
          `${leak.exitAfterMs === undefined ? 'did not exit' : `${Math.round(leak.exitAfterMs)} ms`} (≤ ${leak.exitBoundMs} ms)`,
          String(leak.unhandled.length),
        ],
      ],
    ),
    '',
    'Heap measured with `--expose-gc` after `gc()`, after a 500-cycle warm-up and after the last cycle. ' +
      'The process then leaves one auto-extended and one plain lock held, does not call `close()`, quits its ' +
      'Redis clients and returns: it must exit by itself (no `process.exit`).',
  ].join('\n');
}

/** The whole of docs/chaos-report.md. */
export function renderReport(run: ChaosRun): string {
  const promised = run.scenarios.filter((s) => s.spec.promised);
  const limit = run.scenarios.filter((s) => !s.spec.promised);
  const verdict =
    run.failures.length === 0
      ? '**Verdict: pass.** Every promised property held.'
      : `**Verdict: FAIL.** ${run.failures.length} broken promise(s):\n\n${run.failures.map((f) => `- ${f}`).join('\n')}`;
  return `# Chaos report

<!-- Generated by \`pnpm test:chaos\` (packages/chaos). Do not edit: the next run overwrites it. -->

${verdict}

Run of ${run.startedAt.toISOString()}: took ${formatDuration(run.elapsedMs)} (build excluded), scale ${run.scale},
base seed \`${run.baseSeed}\`, Node ${run.environment.node}, redis-server ${run.environment.redis},
${run.environment.cpus} CPUs (shared with other work; timings are noisy). Checker self-test:
${run.checkerSelfTest.length === 0 ? 'every checker caught its planted violation' : `FAILED (${run.checkerSelfTest.join('; ')})`}.

## Promised: exclusion, no lost update, no stale write under faults

${markdownTable(SUMMARY_HEADER, promisedRows(run))}

Faults injected:

${promised.map((r) => `- \`${r.spec.id}\` (${r.spec.title}): ${faultBreakdown(r)}${r.faults.skipped.length > 0 ? `; skipped ${r.faults.skipped.length} (${r.faults.skipped.slice(0, 3).join('; ')})` : ''}`).join('\n')}

Further checks (every number but the last column must be 0, except "resumed past ttl", which counts the
SIGSTOPped holders that were checked):

${otherChecks(promised)}

## Known limit (not promised): redlock majority restarted empty without the delay

${markdownTable(SUMMARY_HEADER, knownLimitRows(run))}

${limit
  .map(
    (r) =>
      `In \`${r.spec.id}\`, ${r.faults.injected['majority-empty-restart'] ?? 0} times a holder was parked inside its ` +
      `critical section while 3 of the 5 nodes were SIGKILLed and restarted empty at once. The nodes forgot the lock, ` +
      `so other workers got a quorum from them while the holder's lock was still valid: ${r.overlap.overlaps} overlap(s), ` +
      `${r.lostUpdates?.lost ?? 0} lost update(s) on the unfenced counter. The new holders' fences came from the ` +
      `emptied counters and went back (${r.staleWrites?.validRejected ?? 0} of their fenced accesses refused), so the ` +
      `fenced store kept the older holder's data and accepted ${r.staleWrites?.staleAccepted ?? 0} stale write(s). ` +
      'This is the documented limit (packages/redlock README, "the delayed-restart rule"): keep a crashed node down ' +
      'for the longest ttl, or run the nodes with `appendfsync always`. It is shown here, not counted as a failure.',
  )
  .join('\n\n')}

## Bad input (fast-check)

${fuzzSection(run)}

## Leaks

${leakSection(run)}

## Schedules and seeds

Every fault schedule is planned from the scenario's seed (derived from the base seed and the scenario id):
the same seed gives the same faults in the same order on the same targets. When they land still depends on
the machine. Rerun with \`pnpm test:chaos -- --seed ${run.baseSeed}\`.

${schedules(run)}

## How to read this report

- **acquisitions**: critical sections entered. **faults injected**: faults that actually landed.
- **overlaps**: acquisitions that entered while the lock excluded them (mutex: another holder; semaphore:
  \`limit\` holders; read-write: a writer with anyone). A hold counts from entering the critical section to
  leaving it, cut at the end of the lock's own validity: a holder stopped past its ttl no longer counts.
- **lost updates**: each holder read a counter on a separate Redis and wrote read+1 while it still held the lock;
  two writes of the same value, or a final counter below the acknowledged writes, are lost updates.
- **stale writes**: each holder registers its fence with a fenced store (a Lua script on the separate Redis that
  refuses a fence below the highest it saw) and writes to it at the end, whether or not it still holds the lock.
  *Accepted* counts stale writes the store took after a newer holder had registered: it must be 0. *Rejected*
  counts the stale writes it refused: the SIGSTOPped holders resuming with their old fence.
- **unhandled errors**: unhandled rejections and uncaught exceptions in the workers (all must be 0).
`;
}
