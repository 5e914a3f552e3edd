import { createTsupConfig } from '../../tsup.shared.ts';

// Two entries: the client, and `./sqlite`, so that only users of the SQLite store load
// better-sqlite3 (a native addon). Splitting keeps one copy of what both use (the error classes,
// so `instanceof StoreInUseError` holds whichever entry threw). Node-only package: `node:`
// specifiers stay as written.
export default createTsupConfig({
  entry: { index: 'src/index.ts', 'sqlite/index': 'src/sqlite/index.ts' },
  splitting: true,
  platform: 'node',
  external: [/^node:/],
  removeNodeProtocol: false,
});
