import { createVitestConfig } from '../../vitest.shared.ts';

// The shared 120 s backstop applies: each test's waits have 30 s deadlines (test/_harness.ts), so a
// slow run fails on a named wait, not on the test timeout.
export default createVitestConfig();
