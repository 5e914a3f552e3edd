/**
 * The error tree of @wakit/noise. Every error carries a stable `code`; `RemoteProtocolError` means
 * the peer sent something invalid (a ciphertext that does not authenticate, a forged certificate,
 * an oversized frame), `LocalProtocolError` means the caller misused the API (writing out of turn,
 * reusing a finished handshake). Use the `is*` guards: they compare `code`/`kind`, so they also
 * recognise errors thrown by a second copy of this package.
 */

/** Which side of the wire is to blame. */
export type ErrorKind = 'remote' | 'local';

/** Base class of every error this package throws on purpose. */
export abstract class WakitError extends Error {
  /** Stable machine-readable code, e.g. `ERR_NOISE_DECRYPT`. */
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The peer sent something invalid. */
export abstract class RemoteProtocolError extends WakitError {
  readonly kind = 'remote' as const;
}

/** The caller asked for something the protocol does not allow. */
export abstract class LocalProtocolError extends WakitError {
  readonly kind = 'local' as const;
}

/** A handshake or transport ciphertext failed authentication (wrong key, tampered, reordered). */
export class NoiseDecryptError extends RemoteProtocolError {
  readonly code = 'ERR_NOISE_DECRYPT';
}

/** A CipherState used every nonce it may use; the session must be re-established. */
export class NonceExhaustedError extends LocalProtocolError {
  readonly code = 'ERR_NOISE_NONCE_EXHAUSTED';
}

/** A handshake message that is malformed: wrong length, missing field, not a HandshakeMessage. */
export class HandshakeMessageError extends RemoteProtocolError {
  readonly code = 'ERR_NOISE_BAD_MESSAGE';
}

/** The handshake was driven out of order: writing on the peer's turn, splitting before the end... */
export class HandshakeStateError extends LocalProtocolError {
  readonly code = 'ERR_NOISE_HANDSHAKE_STATE';
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
  readonly code = 'ERR_NOISE_CERT_CHAIN';

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
  readonly code = 'ERR_NOISE_FRAME_TOO_LARGE';
}

/** The connection intro (`WA 06 03`, optionally after an `ED` preamble) is missing or wrong. */
export class IntroError extends RemoteProtocolError {
  readonly code = 'ERR_NOISE_INTRO';
}

/** True for any error this package (or another copy of it) threw on purpose. */
export function isWakitError(error: unknown): error is WakitError {
  return (
    error instanceof Error &&
    typeof (error as Partial<WakitError>).code === 'string' &&
    ((error as Partial<WakitError>).kind === 'remote' || (error as Partial<WakitError>).kind === 'local')
  );
}

/** True when the peer's input was at fault. */
export function isRemoteProtocolError(error: unknown): error is RemoteProtocolError {
  return isWakitError(error) && error.kind === 'remote';
}

/** True for errors from @wakit/noise (codes `ERR_NOISE_*`). */
export function isNoiseError(error: unknown): error is WakitError {
  return isWakitError(error) && error.code.startsWith('ERR_NOISE_');
}
