/**
 * The error tree of @wakit/client. Every error carries a stable `code`; `RemoteProtocolError` means
 * the server (or a peer) sent something invalid, `LocalProtocolError` means the caller or its store
 * asked for something that cannot be done. Use the `is*` guards: they compare `code`/`kind`, so they
 * also recognise errors thrown by a second copy of this package.
 */

/** Which side is to blame. */
export type ErrorKind = 'remote' | 'local';

/** Base class of every error this package throws on purpose. */
export abstract class WakitError extends Error {
  /** Stable machine-readable code, e.g. `ERR_CLIENT_TIMEOUT`. */
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The server or a peer sent something invalid. */
export abstract class RemoteProtocolError extends WakitError {
  readonly kind = 'remote' as const;
}

/** The caller asked for something this side cannot do. */
export abstract class LocalProtocolError extends WakitError {
  readonly kind = 'local' as const;
}

/** The store has no device credentials yet (the device was never set up). */
export class NoCredentialsError extends LocalProtocolError {
  readonly code = 'ERR_CLIENT_NO_CREDENTIALS';
}

/** Another client holds this store: one store, one connection at a time. */
export class StoreInUseError extends LocalProtocolError {
  readonly code = 'ERR_CLIENT_STORE_IN_USE';
}

/** The store was closed. */
export class StoreClosedError extends LocalProtocolError {
  readonly code = 'ERR_CLIENT_STORE_CLOSED';
}

/** A stored value that cannot be read back (corrupt row, unknown format version). */
export class StoreCorruptError extends LocalProtocolError {
  readonly code = 'ERR_CLIENT_STORE_CORRUPT';
}

/** True for any error this package threw on purpose (by `code`, across package copies). */
export function isWakitError(error: unknown): error is WakitError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    ((error as { kind?: unknown }).kind === 'remote' || (error as { kind?: unknown }).kind === 'local')
  );
}
