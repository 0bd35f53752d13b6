/**
 * `pnpm test:chaos`: the chaos suite. Runs every scenario (worker processes against real
 * redis-servers while faults are injected, judged by the history checkers), the bad-input
 * fuzz and the leak check; prints a summary table, writes docs/chaos-report.md and the
 * figures between the markers of docs/safety.md; exits non-zero when a promised property was
 * violated. Options:
 *   --seed N      base seed of every schedule (default 20251123)
 *   --scale X     stretch each scenario's workload (default 1; e.g. 4 for a longer soak)
 *   --runs N      fuzz calls per function (default 1000)
 *   --cycles N    leak-check cycles (default 10000)
 *   --only a,b    run only these parts (scenario ids, `fuzz`, `leak`); writes no report
 *   --history     keep every scenario's history in .testkit/histories/<scenario>.jsonl (a
 *                 scenario with a violation always keeps it)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  findRedisServerBinary,
  REGISTRY_ENV,
  reapLeakedServers,
  stopAllRedisServers,
} from '@deadbolt/testkit';
import { checkerSelfTest } from './checkers/checker-self-test.js';
import { runFuzz } from './fuzz/run-fuzz.js';
import { runLeakCheck } from './leaks/run-leak-check.js';
import type { ChaosRun } from './report/chaos-run.js';
import { formatDuration } from './report/render-report.js';
import {
  faultBreakdown,
  knownLimitRows,
  promisedRows,
  SUMMARY_HEADER,
  textTable,
} from './report/summary-rows.js';
import { updateSafetyFigures, writeReport } from './report/write-report.js';
import { runScenario } from './scenarios/run-scenario.js';
import { scenarioSpecs } from './scenarios/scenario-spec.js';
import { mixSeed } from './seeded-random.js';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = join(PACKAGE_DIR, '..', '..');
const DEFAULT_SEED = 20251123;

// `pnpm test:chaos -- --seed 7` passes the `--` through: drop it.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1000' },
    cycles: { type: 'string', default: '10000' },
    only: { type: 'string' },
    history: { type: 'boolean', default: false },
  },
});
const baseSeed = Number(values.seed);
const scale = Number(values.scale);
const runs = Number(values.runs);
const cycles = Number(values.cycles);
const only = values.only?.split(',').map((s) => s.trim());
const wanted = (part: string) => only === undefined || only.includes(part);

const started = performance.now();
const log = (line: string) => {
  const at = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[chaos ${at} s] ${line}\n`);
};

/**
 * Each run records its redis-servers in a registry directory named after its pid. A run that
 * died without cleaning up (SIGKILL) leaves its directory behind; the next run reaps the
 * servers listed there, and only those, once that pid is gone.
 */
async function prepareRegistry(): Promise<void> {
  const base = join(PACKAGE_DIR, '.testkit', 'registry');
  if (existsSync(base)) {
    for (const entry of readdirSync(base)) {
      const owner = Number(entry);
      if (!Number.isInteger(owner) || isAlive(owner)) continue;
      const leaked = await reapLeakedServers(join(base, entry));
      if (leaked.length > 0) log(`reaped ${leaked.length} redis-server(s) left by an earlier run`);
      rmSync(join(base, entry), { recursive: true, force: true });
    }
  }
  const mine = join(base, String(process.pid));
  mkdirSync(mine, { recursive: true });
  process.env[REGISTRY_ENV] = mine;
  process.on('exit', () => rmSync(mine, { recursive: true, force: true }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function redisVersion(): string {
  try {
    const text = execFileSync(findRedisServerBinary(), ['--version'], { encoding: 'utf8' });
    return /v=(\S+)/.exec(text)?.[1] ?? text.trim();
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  }
}

async function main(): Promise<number> {
  await prepareRegistry();
  const run: ChaosRun = {
    startedAt: new Date(),
    elapsedMs: 0,
    baseSeed,
    scale,
    environment: { node: process.version, redis: redisVersion(), cpus: availableParallelism() },
    checkerSelfTest: checkerSelfTest(),
    scenarios: [],
    fuzz: undefined,
    leak: undefined,
    failures: [],
  };
  run.failures.push(...run.checkerSelfTest.map((p) => `checker self-test: ${p}`));
  log(
    `base seed ${baseSeed}, scale ${scale}; checker self-test ${run.checkerSelfTest.length === 0 ? 'ok' : 'FAILED'}`,
  );

  for (const spec of scenarioSpecs(baseSeed, scale)) {
    if (!wanted(spec.id)) continue;
    log(`scenario ${spec.id}: ${spec.title} (seed ${spec.seed})`);
    const result = await runScenario(spec, log);
    if (values.history || result.violations.length > 0) {
      const dir = join(PACKAGE_DIR, '.testkit', 'histories');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${spec.id}.jsonl`);
      writeFileSync(file, result.events.map((e) => JSON.stringify(e)).join('\n'));
      log(`  history: ${file}`);
    }
    run.scenarios.push(result);
    run.failures.push(...result.violations.map((v) => `${spec.id}: ${v}`));
    log(
      `  ${result.acquisitions} acquisitions, faults: ${faultBreakdown(result)}; ` +
        `overlaps ${result.overlap.overlaps}, lost updates ${result.lostUpdates?.lost ?? 'n/a'}, ` +
        `stale accepted/rejected ${result.staleWrites?.staleAccepted ?? 'n/a'}/${result.staleWrites?.staleRejected ?? 'n/a'}` +
        ` (${formatDuration(result.elapsedMs)})${result.violations.length > 0 ? ` VIOLATIONS: ${result.violations.join('; ')}` : ''}`,
    );
  }
  if (wanted('fuzz')) {
    log(`fuzz: ${runs} bad calls per public function`);
    run.fuzz = await runFuzz(runs, mixSeed(baseSeed, 'fuzz'));
    run.failures.push(...run.fuzz.violations);
    const calls = run.fuzz.outcomes.reduce((n, o) => n + o.calls, 0);
    log(
      `  ${calls} calls over ${run.fuzz.outcomes.length} functions, ${run.fuzz.violations.length} problem(s)`,
    );
  }
  if (wanted('leak')) {
    log(`leak check: ${cycles} cycles`);
    run.leak = await runLeakCheck(cycles);
    run.failures.push(...run.leak.violations);
    const leak = run.leak;
    log(
      `  heap ${(leak.heapGrowth / 1048576).toFixed(2)} MiB growth, exit ` +
        `${leak.exitAfterMs === undefined ? 'NEVER' : `${Math.round(leak.exitAfterMs)} ms`} after the loop`,
    );
  }
  run.elapsedMs = performance.now() - started;

  const promised = promisedRows(run);
  const limit = knownLimitRows(run);
  process.stdout.write(
    `\nPromised properties under faults:\n${textTable(SUMMARY_HEADER, promised)}\n`,
  );
  if (limit.length > 0) {
    process.stdout.write(
      `\nKnown limit, not promised (redlock majority restarted empty without the delay):\n${textTable(SUMMARY_HEADER, limit)}\n`,
    );
  }
  if (run.fuzz !== undefined) {
    const calls = run.fuzz.outcomes.reduce((n, o) => n + o.calls, 0);
    const least = Math.min(...run.fuzz.outcomes.map((o) => o.calls));
    process.stdout.write(
      `\nFuzz: ${calls} bad calls over ${run.fuzz.outcomes.length} functions (at least ${least} each), ` +
        `${run.fuzz.violations.length} problem(s)\n`,
    );
  }
  if (run.leak !== undefined) {
    const leak = run.leak;
    process.stdout.write(
      `Leaks: ${leak.cycles} cycles, heap ${(leak.heapGrowth / 1048576).toFixed(2)} MiB (bound ` +
        `${(leak.heapBound / 1048576).toFixed(0)} MiB), exit ${leak.exitAfterMs === undefined ? 'never' : `${Math.round(leak.exitAfterMs)} ms`} ` +
        `after the loop (bound ${leak.exitBoundMs} ms)\n`,
    );
  }
  if (only === undefined) {
    const path = writeReport(REPO_ROOT, run);
    const safety = updateSafetyFigures(REPO_ROOT, run);
    process.stdout.write(
      `\nReport: ${path}${safety ? ' (and the figures in docs/safety.md)' : ''}\n`,
    );
  }
  process.stdout.write(
    run.failures.length === 0
      ? `\nchaos: pass in ${formatDuration(run.elapsedMs)}\n`
      : `\nchaos: FAIL in ${formatDuration(run.elapsedMs)}:\n${run.failures.map((f) => `  - ${f}`).join('\n')}\n`,
  );
  return run.failures.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  process.stderr.write(
    `chaos: the run itself failed: ${(error as Error).stack ?? String(error)}\n`,
  );
} finally {
  await stopAllRedisServers().catch(() => {});
}
process.exit(code);
