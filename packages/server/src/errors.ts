/**
 * The errors of @wakit/server, on the shared tree of @wakit/errors. `RemoteProtocolError` means a
 * client sent something invalid (a pair-device-sign that does not verify, a key bundle that does not
 * decrypt), `LocalProtocolError` means the test driving the server asked for something impossible
 * (scanning a QR no connection issued, entering a code nobody asked for), `IoError` that something
 * did not happen in time. Codes are `ERR_SERVER_*` (and the shared `ERR_TIMEOUT`).
 */
import { isWakitError, LocalProtocolError, RemoteProtocolError } from '@wakit/errors';

/**
 * Why a virtual phone's pairing (QR or pair code) did not complete. Named apart from the client's
 * `PairingFailure` (why a companion refused a pair-success): one name, one meaning across wakit.
 */
export type PhonePairingFailure =
  /** The QR string is not `ref,noise,identity,adv,platform`. */
  | 'malformed-qr'
  /** No waiting connection issued this ref (expired, already paired, or never sent). */
  | 'unknown-ref'
  /** The QR's noise key is not the Noise static key of the connection that holds the ref. */
  | 'noise-key-mismatch'
  /** The identity key in the QR (or key bundle) is not the one the companion registered with. */
  | 'identity-mismatch'
  /** The companion answered pair-success with an error or something that is not pair-device-sign. */
  | 'rejected'
  /** The companion's device signature does not verify with its identity key. */
  | 'device-signature'
  /** The companion changed the signed ADVDeviceIdentity details. */
  | 'details-changed'
  /** No phone number has a pending pair-code request. */
  | 'no-pair-code-request'
  /** The companion's key bundle did not decrypt (usually: a mistyped code) or named other keys. */
  | 'key-bundle'
  /** The connection closed before the pairing completed. */
  | 'closed'
  /** The companion did not answer in time. */
  | 'timeout';

/** A virtual phone's pairing failed; `reason` says at which step. */
export class PhonePairingError extends RemoteProtocolError {
  static override readonly code = 'ERR_SERVER_PAIRING';
  readonly reason: PhonePairingFailure;

  constructor(reason: PhonePairingFailure, message: string, options?: { cause?: unknown }) {
    super(`${reason}: ${message}`, options);
    this.reason = reason;
  }
}

/** A connection moved along a transition its state table does not allow (a bug in the caller or the server). */
export class ConnectionStateError extends LocalProtocolError {
  static override readonly code = 'ERR_SERVER_CONNECTION_STATE';
}

/** The server was closed while something still waited on it. */
export class ServerClosedError extends LocalProtocolError {
  static override readonly code = 'ERR_SERVER_CLOSED';
}

/** True for a `PhonePairingError`, from any copy of this package. */
export function isPhonePairingError(error: unknown): error is PhonePairingError {
  return isWakitError(error, PhonePairingError);
}
