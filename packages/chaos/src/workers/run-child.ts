import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { trackChild } from './child-processes.js';

/** How a child script ended, with the JSON lines it printed. */
export interface ChildOutcome {
  lines: unknown[];
  /** Monotonic time (ns) each line arrived, in the order of `lines`. */
  arrivedAt: bigint[];
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Monotonic time (ns) of the exit, or undefined when it had to be killed. */
  exitedAt: bigint | undefined;
  stderr: string;
}

/**
 * Runs a TypeScript file as a child process (`node [flags] --import tsx file arg`), collects
 * the JSON lines it prints, and kills it if it is still running after `timeoutMs`.
 */
export function runChild(
  file: string,
  arg: object,
  options: { flags?: string[]; timeoutMs: number },
): Promise<ChildOutcome> {
  const child = spawn(
    process.execPath,
    [...(options.flags ?? []), '--import', 'tsx', file, JSON.stringify(arg)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  trackChild(child);
  const outcome: ChildOutcome = {
    lines: [],
    arrivedAt: [],
    code: null,
    signal: null,
    exitedAt: undefined,
    stderr: '',
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      outcome.lines.push(JSON.parse(line));
      outcome.arrivedAt.push(process.hrtime.bigint());
    } catch {
      // Not one of ours.
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    outcome.stderr = (outcome.stderr + chunk.toString('utf8')).slice(-4_000);
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      outcome.code = code;
      outcome.signal = signal;
      if (signal !== 'SIGKILL') outcome.exitedAt = process.hrtime.bigint();
      // Let the last stdout lines drain.
      setImmediate(() => resolve(outcome));
    });
  });
}
