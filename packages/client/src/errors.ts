/**
 * The errors of @wakit/client, on the shared tree of @wakit/errors. `RemoteProtocolError` means the
 * server (or a peer) sent something invalid, `LocalProtocolError` means the caller or its store asked
 * for something that cannot be done, `IoError` means the link failed, closed or timed out (what was
 * pending has an unknown fate). Codes are `ERR_CLIENT_*` (and the shared `ERR_TIMEOUT`).
 */

import type { BinaryNode } from '@wakit/binary-node';
import { IoError, isWakitError, LocalProtocolError, RemoteProtocolError } from '@wakit/errors';

/** The store has no device credentials yet (the device was never set up). */
export class NoCredentialsError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_NO_CREDENTIALS';
}

/** Another client holds this store: one store, one connection at a time. */
export class StoreInUseError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_STORE_IN_USE';
}

/** The store was closed. */
export class StoreClosedError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_STORE_CLOSED';
}

/** A stored value that cannot be read back (corrupt row, unknown format version). */
export class StoreCorruptError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_STORE_CORRUPT';
}

/**
 * The database was written by a newer version of this package (its schema version is above the
 * newest this copy knows). Opening it is refused rather than guessing at a schema it cannot read.
 */
export class StoreVersionError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_STORE_VERSION';
  /** The schema version found in the database. */
  readonly found: number;
  /** The newest schema version this copy of the package can use. */
  readonly supported: number;

  constructor(found: number, supported: number, options?: { cause?: unknown }) {
    super(
      `the store has schema version ${found}; this version of wakit supports up to ${supported}`,
      options,
    );
    this.found = found;
    this.supported = supported;
  }
}

/** The lifecycle table has no row for this event in this state (a bug in the caller, never the peer). */
export class IllegalTransitionError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_ILLEGAL_TRANSITION';

  constructor(
    readonly state: string,
    readonly event: string,
  ) {
    super(`the connection lifecycle has no transition for "${event}" in state "${state}"`);
  }
}

/** The server answered an IQ with `type="error"`; `code`/`text` come from its `<error>` child. */
export class IqError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_IQ';

  constructor(
    /** The `<error code>` attribute as a number (0 when absent or not numeric). */
    readonly errorCode: number,
    /** The `<error text>` attribute ('' when absent). */
    readonly text: string,
    /** The whole error reply. */
    readonly node: BinaryNode,
  ) {
    super(`the server answered the IQ with error ${errorCode}${text ? ` (${text})` : ''}`);
  }
}

/** The connection closed while a request was pending; the request's fate is unknown. */
export class ConnectionClosedError extends IoError {
  static override readonly code = 'ERR_CLIENT_CONNECTION_CLOSED';
}

/**
 * The transport failed: the WebSocket could not be opened (nothing listens, DNS, TLS, a refused
 * upgrade) or errored while open. The message names the URL; the platform's error is the `cause`
 * (so an empty or terse platform message still says where it tried).
 */
export class TransportError extends IoError {
  static override readonly code = 'ERR_CLIENT_TRANSPORT';
}

/** A transport was used out of order: opened twice, or opened after it closed. Transports are single-use. */
export class TransportStateError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_TRANSPORT_STATE';
}

/** The call needs an open socket (or a logged-in one) and there is none. */
export class NotConnectedError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_NOT_CONNECTED';
}

/** The server's key-bundle digest (docs/protocol.md §6.5) lacked a part or had one of the wrong size. */
export class MalformedDigestError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_MALFORMED_DIGEST';
}

/** A frame from the server did not decrypt or did not decode as a binary node; the connection is closed. */
export class UndecodableFrameError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_UNDECODABLE_FRAME';
}

/** The server ended the stream with `<stream:error>` (see `StreamErrorInfo` for the parsed fields). */
export class StreamError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_STREAM_ERROR';

  constructor(
    /** The `code` attribute ('' when absent). */
    readonly streamCode: string,
    /** The `<conflict type>` child, when present. */
    readonly conflict: string | undefined,
    readonly node: BinaryNode,
  ) {
    super(`stream error${streamCode ? ` ${streamCode}` : ''}${conflict ? ` (conflict ${conflict})` : ''}`);
  }
}

/** The server refused the login with `<failure reason=…>` (docs/protocol.md §10.13). */
export class ConnectFailureError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_CONNECT_FAILURE';

  constructor(
    /** The numeric `reason` attribute (401 logged out, 403 locked, 405 outdated, 503 unavailable, …). */
    readonly reason: number,
    readonly node: BinaryNode,
  ) {
    super(`the server refused the login: failure reason ${reason}`);
  }
}

/**
 * Pairing gave up: every QR ref the server sent expired unscanned (docs/protocol.md §5.2 step 3). Nobody
 * sent anything invalid, so it is an `IoError`: connecting again starts a new pairing.
 */
export class PairingTimeoutError extends IoError {
  static override readonly code = 'ERR_CLIENT_PAIRING_TIMEOUT';
}

/**
 * Why a pair-success was refused, as the `<error text>` the server is told (docs/protocol.md §5.3):
 * `hmac-mismatch` and `signature-mismatch` go with code 401, `internal-error` with 500.
 */
export type PairingFailure = 'hmac-mismatch' | 'signature-mismatch' | 'internal-error';

/**
 * A `pair-success` that does not verify or does not parse. `reply` is the error IQ to send back
 * (undefined only when the request had no `id` to answer); no credentials were changed.
 */
export class PairingError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_PAIRING';

  constructor(
    message: string,
    /** What the server is told; also selects the error code (401 or 500). */
    readonly reason: PairingFailure,
    /** `<iq type="error">` answering the pair-success, ready to send. */
    readonly reply: BinaryNode | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a `PairingError` (by `code`, across package copies). */
export function isPairingError(error: unknown): error is PairingError {
  return isWakitError(error, PairingError);
}

/** A phone-number pairing message from the server that is malformed or does not match the pending code. */
export class PairCodeError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_PAIR_CODE';
}

/**
 * An optional dependency that an entry point needs is not installed: `@wakit/client/sqlite` needs
 * better-sqlite3, an optional peer dependency so that users of other stores never build its native
 * addon. The message says what to install.
 */
export class MissingDependencyError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_MISSING_DEPENDENCY';

  constructor(
    /** The npm package to install, e.g. `better-sqlite3`. */
    readonly dependency: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A store transaction was misused: its view was used after the transaction settled (a leaked view
 * must not write outside the commit), or an operation that cannot be part of one (`prune`) was.
 */
export class StoreTransactionError extends LocalProtocolError {
  static override readonly code = 'ERR_CLIENT_STORE_TRANSACTION';
}

/**
 * A received stanza lacks an attribute or child its kind requires, or has one in a form that cannot
 * be read (a message without `id`, a receipt without `from`, a usync reply without its list).
 */
export class MalformedStanzaError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_MALFORMED_STANZA';

  constructor(
    message: string,
    /** The stanza that could not be read. */
    readonly node: BinaryNode | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A decrypted message's plaintext is not a padded `Message` protobuf (bad padding, bad protobuf). */
export class MessageDecodeError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_MESSAGE_DECODE';
}

/** The server refused a sent message: its `<ack class="message">` carried `error`. */
export class MessageRejectedError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_MESSAGE_REJECTED';

  constructor(
    /** The message id. */
    readonly messageId: string,
    /** The ack's `error` code (e.g. 400, 463, 479). */
    readonly errorCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A message could not be sent because the server lists no device for the recipient. */
export class NoRecipientDevicesError extends RemoteProtocolError {
  static override readonly code = 'ERR_CLIENT_NO_RECIPIENT_DEVICES';
}
