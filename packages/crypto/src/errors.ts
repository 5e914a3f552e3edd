/**
 * The error tree of @wakit/crypto. Every error carries a stable `code`; `RemoteProtocolError` means
 * the input came from somewhere untrusted and is invalid (a ciphertext that does not authenticate,
 * a low-order public key), `LocalProtocolError` means the caller misused the API.
 *
 * Argument checks are not part of this tree: a key, IV or length of the wrong shape is a
 * programming error and throws `TypeError` (not a `Uint8Array`, not a number) or `RangeError`
 * (wrong length, out of range) with a precise message, like the platform and @noble do. That
 * includes keys of the wrong length: `InvalidKeyError` is reserved for keys of the right shape that
 * are cryptographically unusable, so `catch (e) { if (isInvalidKeyError(e)) ... }` means "the peer
 * gave us a bad key", never "we passed 33 bytes".
 *
 * Use the `is*` guards rather than `instanceof`: they compare `code`/`kind`, so they also recognise
 * errors thrown by a second copy of this package in the same process.
 */

/** Which side of the wire is to blame. */
export type ErrorKind = 'remote' | 'local';

/** Base class of every error this package throws on purpose. */
export abstract class WakitError extends Error {
  /** Stable machine-readable code, e.g. `ERR_CRYPTO_DECRYPT`. Never changes between versions. */
  abstract readonly code: string;
  /** `remote`: the input (usually the peer) is invalid; `local`: the caller misused the API. */
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The peer (or whatever produced the bytes) sent something invalid. */
export abstract class RemoteProtocolError extends WakitError {
  readonly kind = 'remote' as const;
}

/** The caller asked for something the API does not allow. */
export abstract class LocalProtocolError extends WakitError {
  readonly kind = 'local' as const;
}

/**
 * A ciphertext was refused: the AES-GCM tag does not verify (wrong key, IV or AAD, or tampering),
 * or an AES-CBC ciphertext has a bad length or bad PKCS#7 padding. Both providers throw it with the
 * same message for the same failure, whatever their engine said (kept as `cause`).
 */
export class DecryptError extends RemoteProtocolError {
  readonly code = 'ERR_CRYPTO_DECRYPT';
}

/**
 * A key of the right length that cannot be used: an X25519 agreement whose result is all zeros
 * (the peer's public key has low order, RFC 7748 §6.1).
 */
export class InvalidKeyError extends RemoteProtocolError {
  readonly code = 'ERR_CRYPTO_INVALID_KEY';
}

/** True for any error a wakit package (or another copy of it) threw on purpose. */
export function isWakitError(error: unknown): error is WakitError {
  return (
    error instanceof Error &&
    typeof (error as Partial<WakitError>).code === 'string' &&
    ((error as Partial<WakitError>).kind === 'remote' || (error as Partial<WakitError>).kind === 'local')
  );
}

/** True when the input (usually the peer's) was at fault. */
export function isRemoteProtocolError(error: unknown): error is RemoteProtocolError {
  return isWakitError(error) && error.kind === 'remote';
}

/** True when the caller misused an API. */
export function isLocalProtocolError(error: unknown): error is LocalProtocolError {
  return isWakitError(error) && error.kind === 'local';
}

/** True for errors from @wakit/crypto (codes `ERR_CRYPTO_*`). */
export function isCryptoError(error: unknown): error is WakitError {
  return isWakitError(error) && error.code.startsWith('ERR_CRYPTO_');
}

/** True for a {@link DecryptError} from any copy of this package. */
export function isDecryptError(error: unknown): error is DecryptError {
  return isWakitError(error) && error.code === 'ERR_CRYPTO_DECRYPT';
}

/** True for an {@link InvalidKeyError} from any copy of this package. */
export function isInvalidKeyError(error: unknown): error is InvalidKeyError {
  return isWakitError(error) && error.code === 'ERR_CRYPTO_INVALID_KEY';
}
