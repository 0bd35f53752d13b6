import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** Prefix of every directory the testkit creates under the OS temp dir. */
const PREFIX = 'deadbolt-redis-';

/** Creates a fresh, private directory for one redis-server. */
export function createServerDir(): string {
  return mkdtempSync(join(tmpdir(), PREFIX));
}

/**
 * Removes a server directory. Refuses anything that does not look like one of ours, so a
 * corrupt registry file can never make the reaper delete an arbitrary path.
 */
export function removeServerDir(dir: string): void {
  if (dir === '' || dirname(dir) !== tmpdir() || !basename(dir).startsWith(PREFIX)) return;
  rmSync(dir, { recursive: true, force: true });
}
