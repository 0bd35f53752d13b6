import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type HistoryEvent, parseHistoryLine } from '../history/history-event.js';
import { trackChild } from './child-processes.js';
import type { WorkerCommand, WorkerConfig } from './worker-config.js';

const WORKER_FILE = fileURLToPath(new URL('./chaos-worker.ts', import.meta.url));
const STDERR_TAIL = 4_000;

/** The orchestrator's handle on one worker process. */
export class WorkerProcess {
  readonly config: WorkerConfig;
  readonly events: HistoryEvent[] = [];
  /** How the process ended: exit code, or the signal that killed it. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Set when the orchestrator SIGKILLed it on purpose. */
  killedOnPurpose = false;
  stopped = false;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #listeners = new Set<(event: HistoryEvent) => void>();
  #stderr = '';

  constructor(config: WorkerConfig) {
    this.config = config;
    this.#child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER_FILE, JSON.stringify(config)],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    trackChild(this.#child);
    this.#child.stdin?.on('error', () => {}); // EPIPE after the worker died
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      const event = parseHistoryLine(line);
      if (event === undefined) return;
      this.events.push(event);
      for (const listener of this.#listeners) listener(event);
    });
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
  }

  get id(): string {
    return this.config.worker;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  get stderr(): string {
    return this.#stderr;
  }

  send(command: WorkerCommand): void {
    if (this.alive && this.#child.stdin?.writable) this.#child.stdin.write(`${command}\n`);
  }

  /** Resolves the first event (already recorded or coming) that matches, or undefined at the deadline. */
  waitFor(
    match: (event: HistoryEvent) => boolean,
    timeoutMs: number,
    from = 0,
  ): Promise<HistoryEvent | undefined> {
    const seen = this.events.slice(from).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const done = (event: HistoryEvent | undefined) => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(event);
      };
      const listener = (event: HistoryEvent) => {
        if (match(event)) done(event);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.#listeners.add(listener);
      this.#exited.then(() => setImmediate(() => done(this.events.slice(from).find(match))));
    });
  }

  /** SIGSTOP; resolves once the kernel reports the process stopped. */
  async pause(): Promise<void> {
    this.#child.kill('SIGSTOP');
    await this.#waitForState((state) => state === 'T');
  }

  /** SIGCONT. */
  async resume(): Promise<void> {
    this.#child.kill('SIGCONT');
    await this.#waitForState((state) => state !== 'T');
  }

  /** SIGKILL, and wait for the exit. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.killedOnPurpose = true;
    this.#child.kill('SIGCONT');
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Resolves true once the process exited, false at the deadline. */
  async exited(timeoutMs: number): Promise<boolean> {
    if (!this.alive) return true;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.#exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return result;
  }

  async #waitForState(done: (state: string) => boolean): Promise<void> {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    const deadline = Date.now() + 5_000;
    while (this.alive && Date.now() < deadline) {
      const state = processState(pid);
      if (state === undefined || done(state)) return;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const afterName = stat.lastIndexOf(')') + 2;
    return stat.slice(afterName, afterName + 1) || undefined;
  } catch {
    return undefined;
  }
}
