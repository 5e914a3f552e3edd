/**
 * The one build configuration every package uses (like discord.js `createTsupConfig`): ESM and CJS
 * with matching declaration files, source maps, and nothing bundled that the package declares as a
 * dependency. A package's `tsup.config.ts` is one line that may override entries.
 */
import { defineConfig, type Options } from 'tsup';

export function createTsupConfig(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    // esbuild keeps `/* @__PURE__ */` annotations, and every package is "sideEffects": false, so
    // consumers' bundlers drop whatever they do not import.
    treeshake: false,
    ...options,
  });
}
