import { isProcessGone, readCommandLine } from './process-probe.js';
import { type RegistryEntry, readRegistry, unregisterServer } from './server-registry.js';
import { removeServerDir } from './temp-dir.js';

/** Options for {@link reapLeakedServers}. */
export interface ReapOptions {
  /** How long to wait for each killed process to disappear, in ms. Default 5000. */
  timeout?: number;
}

/** A server {@link reapLeakedServers} found, and how. */
export interface LeakedServer extends RegistryEntry {
  /**
   * `'running'`: it outlived the process that started it (e.g. a SIGKILLed worker) and the
   * reaper killed it now. `'killed-at-exit'`: its test never stopped it, so only the exit
   * handler of the process that started it killed it.
   */
  found: 'running' | 'killed-at-exit';
}

/**
 * Finds the servers listed in a registry directory that leaked, kills those still running,
 * removes their directories and empties the registry. This is the vitest global teardown's
 * leak check, factored out so that it can be tested and used by other runners.
 *
 * A listed pid is only signalled when it still is a redis-server on the recorded port (the
 * pid may have been reused since); it gets SIGCONT (it may be paused) and SIGKILL. Entries
 * whose process is gone, and that were not marked `killedAtExit`, are dropped silently.
 *
 * @returns the leaks: running servers (now killed) and servers killed only at process exit.
 */
export async function reapLeakedServers(
  registryDir: string,
  options: ReapOptions = {},
): Promise<LeakedServer[]> {
  const timeout = options.timeout ?? 5_000;
  const leaked: LeakedServer[] = [];
  const running: LeakedServer[] = [];
  for (const entry of readRegistry(registryDir)) {
    if (isOurRedisServer(entry)) {
      const leak: LeakedServer = { ...entry, found: 'running' };
      leaked.push(leak);
      running.push(leak);
      signal(entry.pid, 'SIGCONT');
      signal(entry.pid, 'SIGKILL');
    } else if (entry.killedAtExit === true) {
      leaked.push({ ...entry, found: 'killed-at-exit' });
    }
  }
  const deadline = Date.now() + timeout;
  for (const leak of running) {
    while (!isProcessGone(leak.pid)) {
      if (Date.now() > deadline) {
        throw new Error(`leaked redis-server (pid ${leak.pid}) did not die after SIGKILL`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  for (const entry of readRegistry(registryDir)) {
    // A live process that is not ours (a reused pid) keeps its entry and is left alone.
    if (running.some((leak) => leak.pid === entry.pid) || isProcessGone(entry.pid)) {
      removeServerDir(entry.dir);
      unregisterServer(registryDir, entry.pid);
    }
  }
  return leaked;
}

function isOurRedisServer(entry: RegistryEntry): boolean {
  if (entry.port <= 0 || isProcessGone(entry.pid)) return false;
  const cmdline = readCommandLine(entry.pid);
  // redis-server sets its title to "redis-server 127.0.0.1:<port>", so the port pins it down.
  if (cmdline === undefined || !cmdline.includes('redis-server')) return false;
  return [...cmdline.matchAll(/:(\d+)\b/g)].some((match) => Number(match[1]) === entry.port);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
