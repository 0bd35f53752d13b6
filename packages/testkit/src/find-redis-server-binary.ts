import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const INSTALL_HINT =
  'Install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), ' +
  'or point the REDIS_SERVER_BIN environment variable at the binary.';

/** Places a package manager puts `redis-server` that may be missing from a trimmed PATH. */
const WELL_KNOWN_DIRS = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin', '/usr/sbin'];

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the `redis-server` binary the testkit starts.
 *
 * The environment variable `REDIS_SERVER_BIN` wins when set; otherwise `PATH` and a few
 * well-known directories are searched. Checked on every call (it is cheap), so a test can
 * change `REDIS_SERVER_BIN` at runtime.
 *
 * @returns the absolute path of an executable `redis-server`.
 * @throws at once, with the install command, when no binary is found.
 */
export function findRedisServerBinary(): string {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new Error(
      `REDIS_SERVER_BIN is set to "${fromEnv}", which is not an executable file. ${INSTALL_HINT}`,
    );
  }
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...WELL_KNOWN_DIRS];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new Error(`redis-server was not found on PATH. ${INSTALL_HINT}`);
}
