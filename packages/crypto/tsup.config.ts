import { createTsupConfig } from '../../tsup.shared.ts';

// Two entries: the portable one, and `./node`, the only place node:crypto is imported.
// - Code splitting (ESM, and tsup's CJS splitting) puts what both entries use into one shared
//   chunk, so there is a single copy of the error classes: `instanceof DecryptError` holds
//   whichever entry threw.
// - `node:` specifiers stay as written (tsup strips them by default), so bundlers targeting the
//   browser can never mistake node:crypto for a polyfillable `crypto` package.
// - Declarations are built with the Node-typed tsconfig, the only one that sees src/node*.
export default createTsupConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  splitting: true,
  external: [/^node:/],
  removeNodeProtocol: false,
  tsconfig: 'tsconfig.node.json',
});
