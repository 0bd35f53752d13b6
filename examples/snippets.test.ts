/**
 * Every code block in README.md and docs/ compiles: each ```ts block must be a copy of a region
 * of a file in examples/snippets/ (see scripts/doc-snippets.ts), and those files, with the
 * examples, must type-check without a single diagnostic. Lua blocks must match the script
 * source they name. Fix a failure by editing the snippet file, then
 * `pnpm --filter @deadbolt/examples run snippets` to copy it into the docs.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  codeBlocks,
  expectedContent,
  isTypeScript,
  markdownFiles,
  repoRoot,
} from './scripts/doc-snippets.js';

describe('code blocks in README.md and docs/', () => {
  it.each(markdownFiles().map((file) => [relative(repoRoot, file), file]))(
    '%s: every ts block comes from a snippet file, every marked block matches its source',
    (_name, file) => {
      const problems: string[] = [];
      for (const block of codeBlocks(readFileSync(file, 'utf8'))) {
        if (!isTypeScript(block) && block.source === undefined) continue;
        const expected = expectedContent(block);
        if ('error' in expected) problems.push(`line ${block.line}: ${expected.error}`);
        else if (expected.text !== block.content) {
          problems.push(
            `line ${block.line}: differs from ${block.source?.ref} ` +
              '(run `pnpm --filter @deadbolt/examples run snippets`)',
          );
        }
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('snippet and example sources', () => {
  it('type-check with examples/tsconfig.sources.json', () => {
    const configPath = fileURLToPath(new URL('./tsconfig.sources.json', import.meta.url));
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error(`cannot read ${configPath}`);
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(repoRoot, d.file.fileName)}:${line + 1}:${character + 1} ${message}`;
    });
    expect(diagnostics).toEqual([]);
  }, 120_000);
});
