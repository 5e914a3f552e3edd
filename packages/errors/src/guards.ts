/**
 * Guards that recognise wakit errors by their `code` and `kind`, not by `instanceof`, so they also
 * work when a process holds two copies of a package (a nested `node_modules`, CJS beside ESM), as
 * protobuf-es and undici do for theirs.
 */
import {
  ERROR_KINDS,
  type IoError,
  type LocalProtocolError,
  type RemoteProtocolError,
  type WakitError,
  type WakitErrorClass,
} from './wakit-error';

/**
 * True for any error a wakit package threw on purpose; with a class, only for errors of that class
 * (same `code`), from any copy of the package that defines it.
 *
 * @example
 * ```ts
 * try { decodeNode(bytes) } catch (e) {
 *   if (isWakitError(e, MaxDepthError)) log('nested too deep');
 *   else if (isRemoteProtocolError(e)) log('bad frame', e.code);
 *   else throw e;
 * }
 * ```
 */
export function isWakitError(error: unknown): error is WakitError;
export function isWakitError<T extends WakitError>(error: unknown, type: WakitErrorClass<T>): error is T;
export function isWakitError(error: unknown, type?: WakitErrorClass): boolean {
  if (!(error instanceof Error)) return false;
  const { code, kind } = error as { code?: unknown; kind?: unknown };
  if (typeof code !== 'string' || !ERROR_KINDS.includes(kind as never)) return false;
  // Not a class: no filter. Also what `errors.filter(isWakitError)` passes as the index.
  if (typeof type !== 'function') return true;
  // An abstract branch (RemoteProtocolError...) has no code of its own: match it by kind.
  return Object.hasOwn(type, 'code') ? code === type.code : kind === type.kind;
}

/** True when the peer's input was at fault (every decode error is). */
export function isRemoteProtocolError(error: unknown): error is RemoteProtocolError {
  return isWakitError(error) && error.kind === 'remote';
}

/** True when the caller (or its stored state) was at fault. */
export function isLocalProtocolError(error: unknown): error is LocalProtocolError {
  return isWakitError(error) && error.kind === 'local';
}

/** True when the link failed, closed or timed out: nobody sent anything invalid. */
export function isIoError(error: unknown): error is IoError {
  return isWakitError(error) && error.kind === 'io';
}
