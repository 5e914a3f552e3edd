/**
 * The errors of @wakit/crypto, on the shared tree of @wakit/errors. `RemoteProtocolError` means the
 * input came from somewhere untrusted and is invalid (a ciphertext that does not authenticate, a
 * low-order public key). Codes are `ERR_CRYPTO_*`.
 *
 * Argument checks are not part of this tree: a key, IV or length of the wrong shape is a
 * programming error and throws `TypeError` (not a `Uint8Array`, not a number) or `RangeError`
 * (wrong length, out of range) with a precise message, like the platform and @noble do. That
 * includes keys of the wrong length: `InvalidKeyError` is reserved for keys of the right shape that
 * are cryptographically unusable, so `catch (e) { if (isInvalidKeyError(e)) ... }` means "the peer
 * gave us a bad key", never "we passed 33 bytes".
 */
import { isWakitError, LocalProtocolError, RemoteProtocolError, type WakitError } from '@wakit/errors';

/**
 * A ciphertext was refused: the AES-GCM tag does not verify (wrong key, IV or AAD, or tampering),
 * or an AES-CBC ciphertext has a bad length or bad PKCS#7 padding. Both providers throw it with the
 * same message for the same failure, whatever their engine said (kept as `cause`).
 */
export class DecryptError extends RemoteProtocolError {
  static override readonly code = 'ERR_CRYPTO_DECRYPT';
}

/**
 * A key of the right length that cannot be used: an X25519 agreement whose result is all zeros
 * (the peer's public key has low order, RFC 7748 §6.1).
 */
export class InvalidKeyError extends RemoteProtocolError {
  static override readonly code = 'ERR_CRYPTO_INVALID_KEY';
}

/**
 * The platform has no CSPRNG (`globalThis.crypto.getRandomValues`): keys cannot be generated. Every
 * supported runtime has one; this means an unusual embedding that must provide WebCrypto.
 */
export class NoRandomSourceError extends LocalProtocolError {
  static override readonly code = 'ERR_CRYPTO_NO_RANDOM';
}

/** True for errors from @wakit/crypto (codes `ERR_CRYPTO_*`). */
export function isCryptoError(error: unknown): error is WakitError {
  return isWakitError(error) && error.code.startsWith('ERR_CRYPTO_');
}

/** True for a {@link DecryptError} from any copy of this package. */
export function isDecryptError(error: unknown): error is DecryptError {
  return isWakitError(error, DecryptError);
}

/** True for an {@link InvalidKeyError} from any copy of this package. */
export function isInvalidKeyError(error: unknown): error is InvalidKeyError {
  return isWakitError(error, InvalidKeyError);
}
