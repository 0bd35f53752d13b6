/**
 * Keeps the code in the Markdown docs compiled: every ```ts block in README.md and docs/ is a
 * copy of a region of a file in examples/snippets/, which `tsc -p examples/tsconfig.json`
 * type-checks. The block names its source on the line before it:
 *
 *     <!-- snippet: examples/snippets/quick-start.ts#quick-start -->
 *     ```ts
 *     ...the lines between `// #region quick-start` and `// #endregion`, dedented...
 *     ```
 *
 * Lua blocks name the script file whose `defineScript(name, `...`)` source they show:
 * `<!-- script: packages/core/src/acquire-script.ts -->`.
 *
 * `snippets.test.ts` fails when a block and its source differ (or a ts block has no source);
 * `pnpm --filter @deadbolt/examples run snippets` rewrites the blocks from their sources.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** README.md and every Markdown file under docs/ (the generated API reference excepted). */
export function markdownFiles(): string[] {
  const files = [join(repoRoot, 'README.md')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (relative(repoRoot, path) !== join('docs', 'api')) walk(path);
      } else if (entry.endsWith('.md')) files.push(path);
    }
  };
  walk(join(repoRoot, 'docs'));
  return files;
}

/** A fenced code block and where its content comes from. */
export interface CodeBlock {
  /** `ts`, `typescript`, `lua`, ... as written after the fence. */
  readonly lang: string;
  /** `examples/snippets/x.ts#region` for a snippet, `packages/.../x-script.ts` for a script. */
  readonly source: { readonly kind: 'snippet' | 'script'; readonly ref: string } | undefined;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** Index of the first content line and one past the last, in the file's lines. */
  readonly start: number;
  readonly end: number;
  readonly content: string;
}

const marker = /^<!--\s*(snippet|script):\s*(\S+)\s*-->$/;

export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    let close = i + 1;
    while (close < lines.length && !/^```\s*$/.test(lines[close]!)) close++;
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    const found = previous >= 0 ? marker.exec(lines[previous]!.trim()) : null;
    blocks.push({
      lang: open[1] ?? '',
      source:
        found === null ? undefined : { kind: found[1] as 'snippet' | 'script', ref: found[2]! },
      line: i + 1,
      start: i + 1,
      end: close,
      content: lines.slice(i + 1, close).join('\n'),
    });
    i = close;
  }
  return blocks;
}

/** Whether a block must come from a type-checked snippet. */
export const isTypeScript = (block: CodeBlock) =>
  block.lang === 'ts' || block.lang === 'typescript';

/** The text a block's marker points at, or an error message. */
export function expectedContent(block: CodeBlock): { text: string } | { error: string } {
  if (block.source === undefined) return { error: 'no <!-- snippet: ... --> marker before it' };
  const { kind, ref } = block.source;
  if (kind === 'script') {
    const file = readSource(ref);
    if (file === undefined) return { error: `${ref} does not exist` };
    const script = /defineScript\(\s*'[^']*',\s*`([\s\S]*?)`/.exec(file);
    if (script === null) return { error: `${ref} has no defineScript(name, \`...\`)` };
    return { text: script[1]!.replace(/\n$/, '') };
  }
  const [path, region] = ref.split('#');
  if (path === undefined || region === undefined) return { error: `${ref}: expected path#region` };
  const file = readSource(path);
  if (file === undefined) return { error: `${path} does not exist` };
  const lines = file.split('\n');
  const first = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  if (first === -1) return { error: `${path} has no "// #region ${region}"` };
  const last = lines.findIndex((line, i) => i > first && line.trim() === '// #endregion');
  if (last === -1) return { error: `${path}: region ${region} has no "// #endregion"` };
  // Blank lines at either end are dropped (the formatter puts one before an import that follows).
  return {
    text: dedent(lines.slice(first + 1, last))
      .join('\n')
      .replace(/^\n+|\n+$/g, ''),
  };
}

function readSource(path: string): string | undefined {
  try {
    return readFileSync(join(repoRoot, path), 'utf8');
  } catch {
    return undefined;
  }
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(cut));
}

/** The markdown with every marked block replaced by its source; unmarked blocks stay. */
export function syncMarkdown(markdown: string): { text: string; errors: string[] } {
  const lines = markdown.split('\n');
  const errors: string[] = [];
  // Back to front, so that earlier blocks keep their line numbers.
  for (const block of codeBlocks(markdown).reverse()) {
    if (block.source === undefined) continue;
    const expected = expectedContent(block);
    if ('error' in expected) errors.push(`line ${block.line}: ${expected.error}`);
    else lines.splice(block.start, block.end - block.start, ...expected.text.split('\n'));
  }
  return { text: lines.join('\n'), errors };
}
