import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findRedisServerBinary } from './find-redis-server-binary.js';
import { pickFreePort } from './free-port.js';
import { type LiveServer, trackServer, untrackServer } from './live-servers.js';
import { probeServer } from './probe-server.js';
import { readProcessState } from './process-probe.js';
import { currentRegistryDir, registerServer, unregisterServer } from './server-registry.js';
import { createServerDir } from './temp-dir.js';

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /**
   * Keep data on disk so it survives `kill()` and `restart({ empty: false })`: turns on the
   * append-only file with `appendfsync always`. Default `false`: `--save ""` and
   * `--appendonly no`, i.e. data lives in memory only.
   */
  persistence?: boolean;
  /** Extra `redis-server` arguments, appended last so they override ours, e.g. `['--maxmemory', '10mb']`. */
  args?: string[];
  /**
   * How long {@link RedisServer.command} waits for a reply before it rejects, in ms. This is
   * what keeps a command to a paused server from hanging. Default 5000.
   */
  commandTimeout?: number;
  /** How long a start or restart may take before it fails, in ms. Default 10000. */
  startTimeout?: number;
}

/** Lifecycle state of a {@link RedisServer}. */
export type RedisServerState = 'running' | 'paused' | 'stopped';

/** Options for {@link RedisServer.restart}. */
export interface RestartOptions {
  /**
   * Wipe the server's directory before starting again. Default `true`. `false` keeps the
   * data, which needs a server started with `persistence: true`.
   */
  empty?: boolean;
}

/**
 * A real `redis-server` process on a loopback port, started by this process.
 *
 * Only the process this object spawned is ever signalled. Every server is killed when the
 * process exits, and recorded in the `DEADBOLT_TESTKIT_REGISTRY` directory when that is set.
 */
export interface RedisServer {
  /** Always the IPv4 loopback address: servers bind nothing else. */
  readonly host: '127.0.0.1';
  /** The server's port; it stays the same across restarts. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Pid of the running (or paused) process; `undefined` while stopped. */
  readonly pid: number | undefined;
  /** The server's private temporary directory (data files, `redis.log`, cluster `nodes.conf`). */
  readonly dir: string;
  /** `'paused'` after `pause()`, `'stopped'` after `stop()`, `kill()` or an unexpected exit. */
  readonly state: RedisServerState;
  /**
   * Shuts the server down with SIGTERM (resuming it first if paused), waits for it to exit
   * and removes its directory. Does nothing when already stopped. A later `restart()` starts
   * it again, empty, on the same port.
   */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, like a crash, and waits for it to exit. Keeps the directory. */
  kill(): Promise<void>;
  /**
   * Freezes the process with SIGSTOP: it stops answering, while its sockets stay open and
   * clients see no disconnect. Resolves once the kernel reports the process stopped.
   */
  pause(): Promise<void>;
  /** Continues a paused server with SIGCONT. Does nothing when it is running. */
  resume(): Promise<void>;
  /**
   * Starts the server again on the same port, shutting it down first (SIGTERM) when it is
   * running. Call `kill()` before for a crash-restart.
   *
   * @throws when `empty: false` is asked of a server without `persistence: true`.
   */
  restart(options?: RestartOptions): Promise<void>;
  /**
   * Sends one command (e.g. `DBSIZE`, `INFO`, `CLIENT KILL`, `SCRIPT FLUSH`) over a cached
   * connection and resolves its reply as ioredis returns it. Rejects after `commandTimeout`
   * ms (default 5000) when the server does not answer, e.g. while paused, and at once when
   * it is stopped.
   */
  command(...args: (string | number)[]): Promise<unknown>;
}

/** How a startup attempt ended, when it did not throw. */
type LaunchOutcome = 'ready' | 'address-in-use';

const DEFAULT_COMMAND_TIMEOUT = 5_000;
const DEFAULT_START_TIMEOUT = 10_000;
const EXIT_TIMEOUT = 10_000;
const PORT_ATTEMPTS = 5;
/** Redis's own log (`--logfile`). */
const LOG_FILE = 'redis.log';
/** The process's stdout and stderr: errors from before the log file is open. */
const OUTPUT_FILE = 'output.log';
const LOG_FILES = [LOG_FILE, OUTPUT_FILE];

class ManagedRedisServer implements RedisServer, LiveServer {
  readonly host = '127.0.0.1';
  readonly dir: string;
  readonly #binary: string;
  readonly #options: RedisServerOptions;
  readonly #cluster: boolean;
  #port = 0;
  #busPort = 0;
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;
  #paused = false;
  #dirRemoved = false;
  #client: Redis | undefined;
  #registryDir: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(binary: string, options: RedisServerOptions, cluster: boolean) {
    this.#binary = binary;
    this.#options = options;
    this.#cluster = cluster;
    this.dir = createServerDir();
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `redis://${this.host}:${this.#port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get state(): RedisServerState {
    if (this.#child === undefined) return 'stopped';
    return this.#paused ? 'paused' : 'running';
  }

  /** First start: picks ports, and picks new ones when another process wins a race for them. */
  async start(): Promise<void> {
    trackServer(this);
    try {
      for (let attempt = 1; ; attempt++) {
        this.#port = await pickFreePort();
        if (this.#cluster) this.#busPort = await pickFreePort();
        const outcome = await this.#launch(Date.now() + this.#startTimeout);
        if (outcome === 'ready') return;
        if (attempt >= PORT_ATTEMPTS) {
          throw this.#startError(`its port was taken by another process ${attempt} times in a row`);
        }
      }
    } catch (error) {
      this.killNow();
      untrackServer(this);
      throw error;
    }
  }

  stop(): Promise<void> {
    return this.#serially(async () => {
      if (this.#child !== undefined) await this.#terminate('SIGTERM');
      this.#closeClient();
      rmSync(this.dir, { recursive: true, force: true });
      this.#dirRemoved = true;
      untrackServer(this);
    });
  }

  kill(): Promise<void> {
    return this.#serially(async () => {
      this.#requireProcess('kill');
      await this.#terminate('SIGKILL');
    });
  }

  pause(): Promise<void> {
    return this.#serially(async () => {
      const child = this.#requireProcess('pause');
      if (this.#paused) return;
      child.kill('SIGSTOP');
      this.#paused = true;
      await this.#waitForProcessState(child, (state) => state === 'T');
    });
  }

  resume(): Promise<void> {
    return this.#serially(async () => {
      const child = this.#requireProcess('resume');
      if (!this.#paused) return;
      child.kill('SIGCONT');
      this.#paused = false;
      await this.#waitForProcessState(child, (state) => state !== 'T');
    });
  }

  restart(options: RestartOptions = {}): Promise<void> {
    const empty = options.empty ?? true;
    if (!empty && this.#options.persistence !== true) {
      return Promise.reject(
        new Error(
          `restart({ empty: false }) on redis-server port ${this.#port} needs a server started ` +
            'with { persistence: true }; without it Redis keeps data only in memory, so none ' +
            'would survive the restart',
        ),
      );
    }
    return this.#serially(async () => {
      if (this.#child !== undefined) await this.#terminate('SIGTERM');
      if (!empty && this.#dirRemoved) {
        throw new Error(
          `restart({ empty: false }) on redis-server port ${this.#port}: stop() already ` +
            'removed its data; use kill() or restart() itself to keep it',
        );
      }
      if (empty || this.#dirRemoved) {
        rmSync(this.dir, { recursive: true, force: true });
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      }
      this.#dirRemoved = false;
      trackServer(this);
      const deadline = Date.now() + this.#startTimeout;
      // The port is ours, but another process may hold it for a moment, so retry on the same
      // port until the deadline. Each attempt gets at least a second, so that one started just
      // before the deadline can still bind or report the port in use rather than be cut short.
      while ((await this.#launch(Math.max(deadline, Date.now() + 1_000))) === 'address-in-use') {
        if (Date.now() + 100 > deadline) {
          throw this.#startError('its port stayed in use by another process');
        }
        await sleep(100);
      }
    });
  }

  async command(...args: (string | number)[]): Promise<unknown> {
    const [name, ...rest] = args;
    if (name === undefined) throw new Error('command() needs at least a command name');
    if (this.#child === undefined) {
      throw new Error(`command(${name}): redis-server on port ${this.#port} is stopped`);
    }
    try {
      return await this.#connection().call(String(name), ...rest);
    } catch (error) {
      if (error instanceof Error && error.message === 'Command timed out') {
        throw new Error(
          `redis-server on port ${this.#port} did not answer ${name} within ` +
            `${this.#commandTimeout} ms (state: ${this.state})`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  killNow(markLeaked = false): void {
    const pid = this.#child?.pid;
    this.#child?.kill('SIGKILL');
    this.#forgetProcess();
    if (markLeaked && pid !== undefined && this.#registryDir !== undefined) {
      try {
        registerServer(this.#registryDir, {
          pid,
          port: this.#port,
          dir: this.dir,
          owner: process.pid,
          killedAtExit: true,
        });
      } catch {
        // The registry is gone: the run's teardown already happened (and reaped this server).
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.#dirRemoved = true;
  }

  get #startTimeout(): number {
    return this.#options.startTimeout ?? DEFAULT_START_TIMEOUT;
  }

  get #commandTimeout(): number {
    return this.#options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT;
  }

  /** Runs lifecycle operations one at a time, so e.g. stop() during restart() is safe. */
  #serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #requireProcess(operation: string): ChildProcess {
    if (this.#child === undefined) {
      throw new Error(`${operation}(): redis-server on port ${this.#port} is not running`);
    }
    return this.#child;
  }

  #serverArgs(): string[] {
    const persistence = this.#options.persistence === true;
    // biome-ignore format: one flag and its value per line
    const args = [
      '--port', String(this.#port),
      '--bind', '127.0.0.1',
      '--dir', this.dir,
      '--logfile', join(this.dir, LOG_FILE),
      '--daemonize', 'no',
      '--save', '',
      '--appendonly', persistence ? 'yes' : 'no',
      ...(persistence ? ['--appendfsync', 'always'] : []),
      // A fresh replica would otherwise wait 5 s before its first sync.
      '--repl-diskless-sync-delay', '0',
      // Don't let SIGTERM wait up to 10 s for lagging (e.g. paused) replicas.
      '--shutdown-timeout', '0',
    ];
    if (this.#cluster) {
      // biome-ignore format: one flag and its value per line
      args.push(
        '--cluster-enabled', 'yes',
        '--cluster-config-file', join(this.dir, 'nodes.conf'),
        '--cluster-port', String(this.#busPort),
        '--cluster-announce-ip', '127.0.0.1',
        '--cluster-node-timeout', '5000',
      );
    }
    return [...args, ...(this.#options.args ?? [])];
  }

  /** Spawns the process and waits until it answers PING as itself. */
  async #launch(deadline: number): Promise<LaunchOutcome> {
    // The logs are appended to across attempts; judge this attempt by its own lines only.
    const logStarts = LOG_FILES.map((file) => this.#readLog(file).length);
    // stdout/stderr go to a file, not a pipe: config errors are only printed there, and a
    // pipe would keep the event loop alive.
    const output = openSync(join(this.dir, OUTPUT_FILE), 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.#binary, this.#serverArgs(), {
        cwd: this.dir,
        stdio: ['ignore', output, output],
      });
    } finally {
      closeSync(output);
    }
    let exited = false;
    let spawnError: Error | undefined;
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        exited = true;
        if (this.#child === child) this.#forgetProcess();
        resolve();
      });
      child.once('error', (error) => {
        spawnError = error;
        if (child.pid === undefined) resolve();
      });
    });
    const exitedPromise = this.#exited;
    if (child.pid === undefined) {
      await exitedPromise;
      throw new Error(`could not start ${this.#binary}: ${spawnError?.message ?? 'unknown error'}`);
    }
    this.#child = child;
    this.#paused = false;
    child.unref();
    this.#registryDir = currentRegistryDir();
    if (this.#registryDir !== undefined) {
      try {
        registerServer(this.#registryDir, {
          pid: child.pid,
          port: this.#port,
          dir: this.dir,
          owner: process.pid,
        });
      } catch {
        // A stale registry setting (its run is over) must not stop a server from starting.
      }
    }

    const addressInUse = (): boolean =>
      LOG_FILES.some((file, i) =>
        this.#readLog(file).slice(logStarts[i]).includes('Address already in use'),
      );
    for (;;) {
      if (exited) {
        if (addressInUse()) return 'address-in-use';
        throw this.#startError(`it exited with code ${child.exitCode ?? child.signalCode}`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        await exitedPromise;
        if (addressInUse()) return 'address-in-use';
        throw this.#startError(`it did not answer PING within ${this.#startTimeout} ms`);
      }
      // Another process's server may answer on this port; only our own pid means ready.
      if ((await probeServer(this.#port, 500)) === child.pid) return 'ready';
      await Promise.race([sleep(25), exitedPromise]);
    }
  }

  async #terminate(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.#child;
    const exited = this.#exited;
    if (child === undefined || exited === undefined) return;
    this.#closeClient();
    // Keep the event loop alive until the exit is seen, even though the child is unref'd.
    child.ref();
    child.kill(signal);
    // A stopped process only acts on SIGTERM once continued (SIGKILL needs no help).
    if (this.#paused) child.kill('SIGCONT');
    if (await settlesWithin(exited, EXIT_TIMEOUT)) return;
    child.kill('SIGKILL');
    if (await settlesWithin(exited, EXIT_TIMEOUT)) return;
    throw new Error(`redis-server on port ${this.#port} (pid ${child.pid}) did not exit`);
  }

  #forgetProcess(): void {
    const pid = this.#child?.pid;
    if (pid !== undefined && this.#registryDir !== undefined) {
      unregisterServer(this.#registryDir, pid);
    }
    this.#child = undefined;
    this.#paused = false;
    this.#closeClient();
  }

  /** Polls /proc until a signal has taken effect; a no-op where there is no procfs. */
  async #waitForProcessState(child: ChildProcess, done: (state: string) => boolean) {
    const pid = child.pid;
    if (pid === undefined) return;
    const deadline = Date.now() + 5_000;
    for (;;) {
      const state = readProcessState(pid);
      if (state === undefined || done(state) || this.#child !== child) return;
      if (Date.now() > deadline) {
        throw new Error(`redis-server pid ${pid} is still in state ${state} after a signal`);
      }
      await sleep(5);
    }
  }

  #connection(): Redis {
    if (this.#client === undefined || this.#client.status === 'end') {
      this.#client = new Redis({
        host: this.host,
        port: this.#port,
        lazyConnect: true,
        // The ready check sends INFO and would hang on a paused server; commands time out instead.
        enableReadyCheck: false,
        commandTimeout: this.#commandTimeout,
        connectTimeout: this.#commandTimeout,
        maxRetriesPerRequest: 0,
        // Never reconnect: the next command() opens a fresh connection instead.
        retryStrategy: () => null,
      });
      // Errors surface through the rejected command; without a listener ioredis logs them.
      this.#client.on('error', () => {});
    }
    return this.#client;
  }

  #closeClient(): void {
    this.#client?.disconnect();
    this.#client = undefined;
  }

  #readLog(file: string): string {
    try {
      return readFileSync(join(this.dir, file), 'utf8');
    } catch {
      return '';
    }
  }

  #startError(reason: string): Error {
    const tails = LOG_FILES.map((file) => {
      const tail = this.#readLog(file).trimEnd().split('\n').slice(-20).join('\n');
      return `Last lines of ${join(this.dir, file)}:\n${tail || '(empty)'}`;
    });
    return new Error(
      `redis-server on port ${this.#port} failed to start: ${reason}.\n` +
        `Command: ${this.#binary} ${this.#serverArgs().join(' ')}\n${tails.join('\n')}`,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
}

/**
 * Starts a server for the cluster code, which needs `cluster-enabled` and a bus port.
 * @internal
 */
export async function launchRedisServer(
  options: RedisServerOptions,
  cluster: boolean,
): Promise<RedisServer> {
  const server = new ManagedRedisServer(findRedisServerBinary(), options, cluster);
  await server.start();
  return server;
}

/**
 * Starts a `redis-server` on a free loopback port, in its own temporary directory, and
 * resolves once it answers PING.
 *
 * @throws at once when no `redis-server` binary is installed (the message says how to install
 * it), and with the server's log when it fails to start within `startTimeout`.
 */
export function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  return launchRedisServer(options, false);
}
