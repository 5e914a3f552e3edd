/**
 * @packageDocumentation
 * One `CryptoProvider` interface for the WhatsApp protocol stack, with `nobleCrypto`, the portable
 * implementation on @noble/* (this entry; no Node built-ins, runs in browsers, Deno, Bun and
 * workers). The faster node:crypto implementation is `nodeCrypto` from `@wakit/crypto/node`; both
 * give identical results. XEdDSA (libsignal's curve25519 signatures) is exported on its own too.
 *
 * Beside the provider, synchronous SHA-256, HMAC-SHA256 and HKDF-SHA256 (`sha256`, `HmacSha256Key`,
 * `hmacSha256`, `hkdfSha256`) on the package's own SHA-256: for key derivations and other small
 * hashes on the hot path, see below.
 */

// The shared error model (@wakit/errors), so this package alone is enough to catch by kind.
export {
  ERROR_KINDS,
  type ErrorKind,
  IoError,
  isIoError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  RemoteProtocolError,
  TimeoutError,
  WakitError,
  type WakitErrorClass,
} from '@wakit/errors';
// Small arrays cut from shared buffers, for encoders on a hot path (@wakit/signal's, the client's store).
export { ByteSlab } from './byte-slab';
export {
  DecryptError,
  InvalidKeyError,
  isCryptoError,
  isDecryptError,
  isInvalidKeyError,
  NoRandomSourceError,
} from './errors';
// Portable utilities, not provider methods: the provider stays asynchronous so that WebCrypto- and
// KMS-backed engines fit it, while these derive keys from secrets derived a moment earlier, many
// times per message, where a promise and a native call would cost more than the tiny hash itself.
export { hkdfSha256 } from './hkdf-sha256';
export { HmacSha256Key, hmacSha256 } from './hmac-sha256';
export { nobleCrypto } from './noble-provider';
export type { AesGcmKey, CryptoProvider, HashName, HkdfOptions, KeyPair, SealOptions } from './provider';
export { randomBytes } from './random';
export { sha256 } from './sha256';
export { XEDDSA_RANDOM_LENGTH, XEDDSA_SIGNATURE_LENGTH, xeddsaSign, xeddsaVerify } from './xeddsa';
