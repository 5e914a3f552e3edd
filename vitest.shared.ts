/**
 * The one test configuration every package uses. Workspace imports resolve to `src/` through the
 * `@wakit/source` export condition, so `vitest` runs without building anything first.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const conditions = ['@wakit/source', 'module', 'node', 'import', 'default'];

export function createVitestConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@wakit/source'] } },
    test: {
      include: ['test/**/*.test.ts'],
      // A backstop against hangs, not a speed check: property and interop tests that take 10 s on
      // an idle box took over 30 s on the 2-core CI machine under load (seen in a clean-clone run).
      testTimeout: options.testTimeout ?? 120_000,
      // The same backstop for beforeAll/afterAll: a hook that imports every package took over the
      // 10 s default with both cores pinned by busy loops (seen in a clean-clone run under load).
      hookTimeout: 120_000,
      setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
    },
  });
}
