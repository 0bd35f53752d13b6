import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly redis: string;
  readonly date: string;
  /** The deadbolt code measured: commit, and which packages had uncommitted changes. */
  readonly source: string;
  /** 1-minute load average when the run started and ended: how busy the machine was. */
  readonly loadAtStart: number;
  loadAtEnd: number;
}

export function describeMachine(redisVersion: string, repoDir: string): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    redis: redisVersion,
    date: new Date().toISOString(),
    source: describeSource(repoDir),
    loadAtStart: loadavg()[0]!,
    loadAtEnd: Number.NaN,
  };
}

/** `redis_version` from `INFO server`. */
export function redisVersionOf(info: string): string {
  return /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
}

const MEASURED = ['core', 'ioredis', 'node-redis', 'solidis', 'redlock'];

/** `commit abc1234` plus the measured packages with uncommitted changes, from git. */
export function describeSource(repoDir: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repoDir, ...args], { encoding: 'utf8' }).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = MEASURED.filter(
      (name) => git('status', '--porcelain', '--', `packages/${name}/src`) !== '',
    );
    return dirty.length === 0
      ? `commit ${commit}`
      : `commit ${commit} with uncommitted changes in ${dirty.map((d) => `packages/${d}`).join(', ')}`;
  } catch {
    return 'unknown (no git)';
  }
}
