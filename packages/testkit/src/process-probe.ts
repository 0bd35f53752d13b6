import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One-letter process state from /proc/<pid>/stat ('R', 'S', 'T', 'Z', ...), if readable. */
export function readProcessState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (2nd field) is in parentheses and may contain spaces, so skip past it.
    const afterName = stat.lastIndexOf(')') + 2;
    return stat.slice(afterName, afterName + 1) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a pid no longer names a running process. A zombie counts as gone: it has exited
 * and only waits for its parent (or init, for orphans) to reap it.
 */
export function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return readProcessState(pid) === 'Z';
}

/** The command line of a live process (NUL separators turned into spaces), if readable. */
export function readCommandLine(pid: number): string | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.replaceAll('\0', ' ').trim();
  } catch {
    // No procfs (macOS): ask ps. It fails when the pid is gone.
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
