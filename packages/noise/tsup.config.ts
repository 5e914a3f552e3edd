import { createTsupConfig } from '../../tsup.shared.ts';

// Two entries: the package, and `./testing`, the certificate authority for test servers. Splitting
// keeps one copy of what both share (the error classes, the certificate encoding).
export default createTsupConfig({ entry: ['src/index.ts', 'src/testing.ts'], splitting: true });
