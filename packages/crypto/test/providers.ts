/**
 * The providers every suite runs against, side by side (`describe.each(PROVIDERS)`): the contract
 * is that they give identical results, so every vector must pass on each. The node provider runs
 * twice: with its key caches, and with them off (so the uncached import paths are tested too).
 */
import type { CryptoProvider } from '../src/index';
import { nobleCrypto } from '../src/index';
import { createNodeCrypto, nodeCrypto } from '../src/node';

const nodeUncached: CryptoProvider = {
  ...createNodeCrypto({ keyCacheSize: 0 }),
  name: 'node (no key cache)',
};

export const PROVIDERS: readonly CryptoProvider[] = [nobleCrypto, nodeCrypto, nodeUncached];

/**
 * For the signature suites: XEdDSA is one shared implementation and needs no key import, so the
 * uncached node variant would only repeat the node run (the slowest suites, at ~3 ms per verify).
 */
export const SIGNING_PROVIDERS: readonly CryptoProvider[] = [nobleCrypto, nodeCrypto];
