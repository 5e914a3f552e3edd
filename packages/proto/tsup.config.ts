import { createTsupConfig } from '../../tsup.shared.ts';

// Bundled on purpose (the shared default), not one output file per generated module:
// - Tree shaking does not need module boundaries here. Every top-level statement of the generated
//   code is a `/*@__PURE__*/` call (descriptors) or a pure enum IIFE, so esbuild, rollup and
//   webpack+terser drop whatever the consumer does not reach inside the one dist/index.js;
//   test/tree-shaking.test.ts bundles against a single-file build exactly like this one to prove it.
// - An unbundled dual build would need its 260 relative `.js` imports rewritten to `.cjs` for the
//   CommonJS half, which tsup does not do; and Node would resolve 260 files at start-up instead of 1.
// @bufbuild/protobuf stays external (a dependency), so apps share one copy of the runtime.
export default createTsupConfig();
