/**
 * @packageDocumentation
 * `@wakit/crypto/node`: the CryptoProvider on node:crypto (OpenSSL), the default on Node. It gives
 * the same results and errors as the portable `nobleCrypto` for every input, much faster for
 * AES-GCM and X25519 (see the package README for measured ratios). The only entry that imports a
 * Node built-in; everything else comes from the portable entry (`@wakit/crypto`), so errors thrown
 * here are the very classes that entry exports.
 */
import type { CryptoProvider } from './index';
import { createNodeCrypto } from './node/provider';

export { createNodeCrypto, type NodeCryptoOptions } from './node/provider';

/**
 * The shared node:crypto provider, with the default key caches (64 entries each).
 *
 * @example
 * import { nodeCrypto as crypto } from '@wakit/crypto/node';
 * const sealed = await crypto.aesGcmEncrypt(key, iv, plaintext);
 */
export const nodeCrypto: CryptoProvider = /* @__PURE__ */ createNodeCrypto();
