import { createVitestConfig } from '../../vitest.shared.ts';

// The generator tests run buf and protoc-gen-es over the whole WAProto.proto, several times in
// update-spec.test.ts; under a parallel `npm test` on 2 cores that takes well over the default 30 s.
export default createVitestConfig({ testTimeout: 180_000 });
