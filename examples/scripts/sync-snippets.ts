/**
 * Rewrites the code blocks of README.md and docs/ from their sources (see doc-snippets.ts).
 * Run after changing a file in examples/snippets/: `pnpm --filter @deadbolt/examples run snippets`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { markdownFiles, repoRoot, syncMarkdown } from './doc-snippets.js';

let failed = false;
for (const file of markdownFiles()) {
  const before = readFileSync(file, 'utf8');
  const { text, errors } = syncMarkdown(before);
  const name = relative(repoRoot, file);
  for (const error of errors) {
    console.error(`${name}: ${error}`);
    failed = true;
  }
  if (text !== before) {
    writeFileSync(file, text);
    console.log(`updated ${name}`);
  }
}
process.exitCode = failed ? 1 : 0;
