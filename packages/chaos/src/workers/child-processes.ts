import type { ChildProcess } from 'node:child_process';

/**
 * Every child process this run started and has not seen exit. On any way out of the
 * orchestrator (normal exit, crash, Ctrl-C) they are killed: only these pids, each of which
 * we spawned, never anything found by name.
 */
const live = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const child of live) {
    try {
      // A SIGSTOPped child acts on SIGKILL too; SIGCONT first anyway so nothing lingers stopped.
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      // The testkit's own handler kills the redis-servers on the same signal; 'exit' runs it
      // too. Exit with the conventional status for the signal.
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Tracks a child until it exits. */
export function trackChild(child: ChildProcess): void {
  install();
  live.add(child);
  child.once('exit', () => live.delete(child));
}
