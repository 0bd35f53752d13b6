/**
 * `pnpm bench` (full run, writes docs/benchmarks.md) and `pnpm bench --quick` (smoke run,
 * writes packages/bench/out/). Starts its own redis-servers and stops them, also on Ctrl-C
 * (the testkit kills what it started when the process exits).
 *
 * Options: `--quick`, `--only id,id` (implementations), `--scenarios sequential,concurrent,
 * handoff,quorum,faults,memory`, `--out file.md`, `--report-from results.json` (rewrite the
 * report from saved raw results without measuring).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type RedisServer, startRedisServer, startRedisServers } from '@deadbolt/testkit';
import { type BenchConfig, fullConfig, quickConfig } from './bench-config.js';
import type { Implementation } from './implementations/lock-client.js';
import { FLOOR_ID, implementations } from './implementations/registry.js';
import { describeMachine, redisVersionOf } from './measure/machine.js';
import { writeReport } from './report/write-report.js';
import type { BenchResults, ImplementationInfo } from './results.js';
import { runConcurrent } from './scenarios/concurrent.js';
import { runFaults } from './scenarios/faults.js';
import { runHandoff } from './scenarios/handoff.js';
import { runMemory } from './scenarios/memory.js';
import { runQuorum } from './scenarios/quorum.js';
import type { ScenarioContext } from './scenarios/scenario-context.js';
import { runSequential } from './scenarios/sequential.js';

const SCENARIOS = ['sequential', 'concurrent', 'handoff', 'quorum', 'faults', 'memory'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    scenarios: { type: 'string' },
    out: { type: 'string' },
    'report-from': { type: 'string' },
  },
});

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = join(packageDir, '..', '..');
const outDir = join(packageDir, 'out');
/** Quick runs never overwrite the committed report. */
const reportFileFor = (quick: boolean) =>
  values.out ?? (quick ? join(outDir, 'benchmarks.md') : join(repoDir, 'docs', 'benchmarks.md'));
const reportFile = reportFileFor(values.quick);

function log(message: string): void {
  const seconds = ((performance.now() - startedAt) / 1_000).toFixed(0).padStart(4);
  process.stdout.write(`[bench ${seconds}s] ${message}\n`);
}

const startedAt = performance.now();
let finished = false;
process.on('exit', (code) => {
  if (!finished) process.stderr.write(`[bench] stopped before the end (exit code ${code})\n`);
});

if (values['report-from'] !== undefined) {
  const results = JSON.parse(readFileSync(values['report-from'], 'utf8')) as BenchResults;
  const file = reportFileFor(results.config.quick);
  writeReport(results, file);
  log(`report written to ${file}`);
  finished = true;
  process.exit(0);
}

const config: BenchConfig = values.quick ? quickConfig : fullConfig;
const only = values.only?.split(',').map((s) => s.trim());
const scenarios = new Set<Scenario>(
  values.scenarios === undefined
    ? SCENARIOS
    : (values.scenarios.split(',').map((s) => s.trim()) as Scenario[]),
);
for (const scenario of scenarios) {
  if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario "${scenario}"`);
}

const infos: ImplementationInfo[] = [];
const runnable: Implementation[] = [];
for (const impl of implementations) {
  const unavailable = impl.unavailable?.();
  infos.push({
    id: impl.id,
    label: impl.label,
    kind: impl.kind,
    package: impl.package,
    client: impl.client,
    tuning: impl.tuning,
    waiting: impl.waiting,
    ...(unavailable === undefined ? {} : { unavailable }),
  });
  // The floor stays in every run: all ratios are taken against it.
  const chosen = only === undefined || only.includes(impl.id) || impl.id === FLOOR_ID;
  if (unavailable === undefined && chosen) runnable.push(impl);
  if (unavailable !== undefined) log(`skipping ${impl.label}: ${unavailable}`);
}

const defaults = runnable.filter((i) => i.tuning === 'defaults');
const retryVariants = runnable.filter((i) => i.tuning !== 'defaults');
/** The node-redis and stand-in floors only serve the uncontended comparisons of the adapters. */
const contended = (list: Implementation[]) =>
  list.filter((i) => i.single && (i.kind !== 'floor' || i.id === FLOOR_ID));

let single: RedisServer | undefined;
let nodes: RedisServer[] = [];
try {
  log(`${values.quick ? 'quick' : 'full'} run: starting redis-servers`);
  [single, nodes] = await Promise.all([
    startRedisServer(),
    startRedisServers(Math.max(config.faults.nodes, ...config.quorum.nodes)),
  ]);
  const machine = describeMachine(
    redisVersionOf(String(await single.command('INFO', 'server'))),
    repoDir,
  );
  const ctx: ScenarioContext = { config, single, nodes, log };
  const results: BenchResults = {
    config,
    machine,
    command: values.quick ? 'pnpm bench --quick' : 'pnpm bench',
    durationMs: 0,
    implementations: infos,
    sequential: [],
    concurrent: [],
    handoff: [],
    quorum: [],
    faults: [],
    memory: [],
  };

  if (scenarios.has('sequential')) {
    log('sequential uncontended');
    results.sequential.push(
      ...(await runSequential(
        ctx,
        defaults.filter((i) => i.single),
      )),
    );
  }
  if (scenarios.has('concurrent')) {
    log('concurrent uncontended');
    results.concurrent.push(
      ...(await runConcurrent(
        ctx,
        defaults.filter((i) => i.single),
      )),
    );
  }
  if (scenarios.has('handoff')) {
    const { growth, workers } = config.handoff;
    const settings = [
      ...growth.map((w) => ({
        setting: { mode: 'strict' as const, workers: w },
        impls: contended(w === workers ? [...defaults, ...retryVariants] : defaults),
      })),
      {
        setting: { mode: 'free' as const, workers },
        impls: contended([...defaults, ...retryVariants]),
      },
    ];
    results.handoff.push(...(await runHandoff(ctx, settings)));
  }
  if (scenarios.has('quorum')) {
    results.quorum.push(
      ...(await runQuorum(
        ctx,
        defaults.filter((i) => i.quorum),
      )),
    );
  }
  if (scenarios.has('faults')) {
    results.faults.push(
      ...(await runFaults(
        ctx,
        defaults.filter((i) => i.quorum),
      )),
    );
  }
  if (scenarios.has('memory')) {
    // The solidis stand-in records every command it sends (its tests read them), so its
    // heap grows by design: it says nothing about the adapter.
    const memoryImpls = defaults.filter(
      (i) =>
        i.autoExtend &&
        i.single &&
        i.client !== 'solidis stand-in' &&
        (config.memory.only === undefined || config.memory.only.includes(i.id)),
    );
    results.memory.push(...(await runMemory(ctx, memoryImpls)));
  }

  machine.loadAtEnd = (await import('node:os')).loadavg()[0]!;
  const complete: BenchResults = { ...results, durationMs: performance.now() - startedAt };
  mkdirSync(outDir, { recursive: true });
  const rawFile =
    values.out !== undefined
      ? `${reportFile.replace(/\.md$/, '')}.json`
      : join(outDir, values.quick ? 'results-quick.json' : 'results-full.json');
  writeFileSync(rawFile, `${JSON.stringify(complete, null, 1)}\n`);
  mkdirSync(dirname(reportFile), { recursive: true });
  writeReport(complete, reportFile);
  log(`raw results: ${rawFile}`);
  log(`report: ${reportFile}`);
} finally {
  await Promise.allSettled([single, ...nodes].map((server) => server?.stop()));
}
finished = true;
log('done');
// Library clients that reconnect forever (and timers some libraries leave behind) would keep
// the process alive after the servers are gone.
process.exit(0);
