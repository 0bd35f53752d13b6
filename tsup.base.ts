import type { Options } from 'tsup';

/** Shared build: dual ESM/CJS with declarations for each, for Node 20 and later. */
export const baseConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
};
