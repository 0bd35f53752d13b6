import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Formats Markdown the way the repository's Biome does (`biome check .` also checks the docs),
 * so that a generated report passes the lint. Runs `biome format` on stdin; `path` (relative
 * to `root`) tells Biome which file the text is. Returns the text unchanged when Biome is not
 * installed or fails.
 */
export function formatMarkdown(root: string, path: string, text: string): string {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return text;
  const result = spawnSync(biome, ['format', `--stdin-file-path=${path}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return result.status === 0 && result.stdout.trim() !== '' ? result.stdout : text;
}
