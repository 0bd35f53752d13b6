import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `pnpm build` must emit ESM and CJS entry points that Node loads with `import` and `require`.
// This runs after the build (the root `pnpm test` builds first) against the dist folders.
const packages = [
  ['core', 'createLocks'],
  ['ioredis', 'fromIoredis'],
  ['node-redis', 'fromNodeRedis'],
  ['solidis', 'fromSolidis'],
  ['redlock', 'createRedlock'],
];
const root = fileURLToPath(new URL('../../', import.meta.url));

describe.each(packages)('@deadbolt/%s build output', (name, entry) => {
  const dir = `${root}${name}`;
  const built = existsSync(`${dir}/dist/index.js`) && existsSync(`${dir}/dist/index.cjs`);

  it('exists (run `pnpm build` first)', () => {
    expect(built).toBe(true);
  });

  it.runIf(built)(`loads with import and with require, exporting the same names (${entry})`, () => {
    const script = `
      const { createRequire } = require('node:module');
      const req = createRequire(${JSON.stringify(`${dir}/package.json`)});
      const cjs = req('@deadbolt/${name}');
      import('@deadbolt/${name}').then((esm) => {
        const a = Object.keys(cjs).sort().join(',');
        const b = Object.keys(esm).filter((k) => k !== 'default').sort().join(',');
        process.stdout.write(JSON.stringify({ cjs: a, esm: b }));
      });`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    const { cjs, esm } = JSON.parse(out) as { cjs: string; esm: string };
    expect(esm).toBe(cjs);
    expect(cjs.split(',')).toContain(entry);
  });
});
