import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Environment variable naming a directory where every started redis-server leaves a file
 * named after its pid. The vitest global setup creates the directory, and its teardown
 * reaps whatever is still listed, even when the worker that started it was SIGKILLed.
 */
export const REGISTRY_ENV = 'DEADBOLT_TESTKIT_REGISTRY';

/** What a registry file records about one redis-server process. */
export interface RegistryEntry {
  /** Pid of the redis-server process (also the file name). */
  pid: number;
  port: number;
  /** The server's temporary directory, removed when the server is reaped. */
  dir: string;
  /** Pid of the process that started the server. */
  owner: number;
  /**
   * Set when the server was still running as the process that started it ended (normally or
   * by SIGTERM/SIGINT), so only the testkit's exit handler killed it: nobody stopped it.
   */
  killedAtExit?: boolean;
}

/** The registry directory of this process (from {@link REGISTRY_ENV}), if any. */
export function currentRegistryDir(): string | undefined {
  const dir = process.env[REGISTRY_ENV];
  return dir === undefined || dir === '' ? undefined : dir;
}

/** Records a started server. Synchronous so a crash right after spawn still leaves a trace. */
export function registerServer(registryDir: string, entry: RegistryEntry): void {
  writeFileSync(join(registryDir, String(entry.pid)), `${JSON.stringify(entry)}\n`);
}

/** Forgets a server whose process has exited. */
export function unregisterServer(registryDir: string, pid: number): void {
  rmSync(join(registryDir, String(pid)), { force: true });
}

/** Every entry in a registry directory; unreadable files still yield their pid. */
export function readRegistry(registryDir: string): RegistryEntry[] {
  let names: string[];
  try {
    names = readdirSync(registryDir);
  } catch {
    return [];
  }
  const entries: RegistryEntry[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      const parsed = JSON.parse(readFileSync(join(registryDir, name), 'utf8')) as RegistryEntry;
      entries.push({ ...parsed, pid });
    } catch {
      entries.push({ pid, port: 0, dir: '', owner: 0 });
    }
  }
  return entries;
}
