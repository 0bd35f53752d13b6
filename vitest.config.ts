import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the packaging smoke test checks the built output.
    alias: {
      '@deadbolt/core': src('core'),
      '@deadbolt/ioredis': src('ioredis'),
      '@deadbolt/node-redis': src('node-redis'),
      '@deadbolt/solidis': src('solidis'),
      '@deadbolt/redlock': src('redlock'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/**/*.test.ts',
    ],
    globalSetup: ['packages/testkit/src/vitest/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
