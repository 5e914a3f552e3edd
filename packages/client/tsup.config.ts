import { createTsupConfig } from '../../tsup.shared.ts';

// Three entries: the client; `./sqlite`, so that only users of the SQLite store load
// better-sqlite3 (an optional peer dependency with a native addon); and `./qr`, the QR encoder and terminal renderer, which imports
// nothing else. Splitting keeps one copy of what entries share (the error classes, so
// `instanceof StoreInUseError` holds whichever entry threw). Node-only package: `node:`
// specifiers stay as written.
export default createTsupConfig({
  entry: { index: 'src/index.ts', 'sqlite/index': 'src/sqlite/index.ts', 'qr/index': 'src/qr/index.ts' },
  splitting: true,
  platform: 'node',
  external: [/^node:/],
  removeNodeProtocol: false,
  // The SQLite entry loads better-sqlite3 through createRequire(import.meta.url); the CJS build
  // needs tsup's shim for import.meta.url (from __filename).
  shims: true,
});
