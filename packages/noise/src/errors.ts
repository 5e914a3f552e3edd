/**
 * The errors of @wakit/noise, on the shared tree of @wakit/errors. `RemoteProtocolError` means the
 * peer sent something invalid (a ciphertext that does not authenticate, a forged certificate, an
 * oversized frame), `LocalProtocolError` means the caller misused the API (writing out of turn,
 * reusing a finished handshake). Codes are `ERR_NOISE_*`.
 */
import { isWakitError, LocalProtocolError, RemoteProtocolError, type WakitError } from '@wakit/errors';

/** A handshake or transport ciphertext failed authentication (wrong key, tampered, reordered). */
export class NoiseDecryptError extends RemoteProtocolError {
  static override readonly code = 'ERR_NOISE_DECRYPT';
}

/** A CipherState used every nonce it may use; the session must be re-established. */
export class NonceExhaustedError extends LocalProtocolError {
  static override readonly code = 'ERR_NOISE_NONCE_EXHAUSTED';
}

/** A handshake message that is malformed: wrong length, missing field, not a HandshakeMessage. */
export class HandshakeMessageError extends RemoteProtocolError {
  static override readonly code = 'ERR_NOISE_BAD_MESSAGE';
}

/**
 * A synchronous encrypt or decrypt (`CipherState.encryptWithAdSync`, `NoiseTransport.decryptSync`...)
 * on a key whose provider only works asynchronously: check `supportsSync` first, or use the promises.
 */
export class SyncCipherUnavailableError extends LocalProtocolError {
  static override readonly code = 'ERR_NOISE_SYNC_UNAVAILABLE';
}

/** The handshake was driven out of order: writing on the peer's turn, splitting before the end... */
export class HandshakeStateError extends LocalProtocolError {
  static override readonly code = 'ERR_NOISE_HANDSHAKE_STATE';
}

/** Why a server certificate chain was refused. */
export type CertificateChainFailure =
  | 'malformed'
  | 'intermediate-signature'
  | 'intermediate-issuer'
  | 'leaf-signature'
  | 'leaf-issuer'
  | 'expired'
  | 'not-yet-valid'
  | 'leaf-key-mismatch';

/** The server's certificate chain does not verify; `reason` says which check failed. */
export class CertificateChainError extends RemoteProtocolError {
  static override readonly code = 'ERR_NOISE_CERT_CHAIN';

  constructor(
    readonly reason: CertificateChainFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A frame longer than the 3-byte length prefix allows (16 MiB), received or about to be sent. */
export class FrameTooLargeError extends RemoteProtocolError {
  static override readonly code = 'ERR_NOISE_FRAME_TOO_LARGE';
}

/** The connection intro (`WA 06 03`, optionally after an `ED` preamble) is missing or wrong. */
export class IntroError extends RemoteProtocolError {
  static override readonly code = 'ERR_NOISE_INTRO';
}

/** True for errors from @wakit/noise (codes `ERR_NOISE_*`). */
export function isNoiseError(error: unknown): error is WakitError {
  return isWakitError(error) && error.code.startsWith('ERR_NOISE_');
}
