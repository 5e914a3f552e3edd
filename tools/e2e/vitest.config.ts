import { createVitestConfig } from '../../vitest.shared.ts';

// Real sockets, real key generation, and CI running every suite at once on two cores: each test
// gets well beyond its waits' 30 s deadlines, so a slow run fails on a named wait, not a timeout.
export default createVitestConfig({ testTimeout: 120_000 });
