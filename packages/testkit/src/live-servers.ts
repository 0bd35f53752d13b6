/** What the process-wide cleanup needs from a started server. */
export interface LiveServer {
  /**
   * Synchronous last-resort cleanup: SIGKILL the process and remove its directory. Its
   * registry file is removed too, unless `markLeaked` asks to leave it marked as a leak.
   */
  killNow(markLeaked?: boolean): void;
  /** Graceful cleanup, used by {@link stopAllRedisServers}. */
  stop(): Promise<void>;
}

interface CleanupState {
  servers: Set<LiveServer>;
  handlersInstalled: boolean;
}

// Kept on globalThis so that every copy of this module (vitest may evaluate it once per test
// file) shares one set and installs the process handlers only once.
const STATE_KEY = Symbol.for('deadbolt.testkit.live-servers');

function cleanupState(): CleanupState {
  const holder = globalThis as { [STATE_KEY]?: CleanupState };
  holder[STATE_KEY] ??= { servers: new Set(), handlersInstalled: false };
  return holder[STATE_KEY];
}

/**
 * The safety net. Whatever is still here when the process ends was never stopped by the code
 * that started it, so each server leaves a leak mark in the registry. (Vitest ends its
 * workers with SIGTERM, so that path, not only 'exit', must mark leaks.)
 */
function killAllNow(): void {
  const { servers } = cleanupState();
  for (const server of servers) {
    try {
      server.killNow(true);
    } catch {
      // Keep going: the other servers must die too.
    }
  }
  servers.clear();
}

const EXIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function installHandlers(state: CleanupState): void {
  if (state.handlersInstalled) return;
  state.handlersInstalled = true;
  // 'exit' handlers may only do synchronous work, hence killNow().
  process.on('exit', killAllNow);
  // 'exit' does not fire when an uncaught exception ends the process; the monitor does, and
  // the process only dies when nobody else listens for 'uncaughtException' (vitest does).
  process.on('uncaughtExceptionMonitor', () => {
    if (process.listenerCount('uncaughtException') === 0) killAllNow();
  });
  for (const signal of EXIT_SIGNALS) {
    const onSignal = (): void => {
      killAllNow();
      process.off(signal, onSignal);
      // Listening for a signal disables Node's default exit on it; restore that when we were
      // the only listener.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Adds a server to the set that is cleaned up when the process exits. */
export function trackServer(server: LiveServer): void {
  const state = cleanupState();
  installHandlers(state);
  state.servers.add(server);
}

/** Removes a server that has been fully cleaned up. */
export function untrackServer(server: LiveServer): void {
  cleanupState().servers.delete(server);
}

/**
 * Stops every redis-server this process started and has not stopped yet (paused ones are
 * resumed first), and removes their directories.
 *
 * @throws an AggregateError when some server could not be stopped; the others are still stopped.
 */
export async function stopAllRedisServers(): Promise<void> {
  const servers = [...cleanupState().servers];
  const results = await Promise.allSettled(servers.map((server) => server.stop()));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (errors.length > 0) throw new AggregateError(errors, 'some redis-servers did not stop');
}
