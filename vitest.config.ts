// Runs every package's tests from the root (`npx vitest`); `npm test` runs them per package through turbo.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { projects: ['packages/*', 'tools/*'] },
});
