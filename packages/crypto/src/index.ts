/**
 * @packageDocumentation
 * One `CryptoProvider` interface for the WhatsApp protocol stack, with `nobleCrypto`, the portable
 * implementation on @noble/* (this entry; no Node built-ins, runs in browsers, Deno, Bun and
 * workers). The faster node:crypto implementation is `nodeCrypto` from `@wakit/crypto/node`; both
 * give identical results. XEdDSA (libsignal's curve25519 signatures) is exported on its own too.
 */

export {
  DecryptError,
  type ErrorKind,
  InvalidKeyError,
  isCryptoError,
  isDecryptError,
  isInvalidKeyError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  RemoteProtocolError,
  WakitError,
} from './errors';
export { nobleCrypto } from './noble-provider';
export type { CryptoProvider, HashName, HkdfOptions, KeyPair, SealOptions } from './provider';
export { randomBytes } from './random';
export { XEDDSA_RANDOM_LENGTH, XEDDSA_SIGNATURE_LENGTH, xeddsaSign, xeddsaVerify } from './xeddsa';
