/**
 * @packageDocumentation
 * The one error model of wakit. Every package throws subclasses of these bases, so a single
 * `catch` can tell a peer's bad input (`RemoteProtocolError`) from a caller's mistake
 * (`LocalProtocolError`) and from a failed or silent link (`IoError`), in any layer. Codes are
 * stable strings; the guards compare them, so they work across duplicate package copies.
 * Dependency-free and portable.
 */
export {
  isIoError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
} from './guards';
export { TimeoutError } from './timeout-error';
export {
  ERROR_KINDS,
  type ErrorKind,
  IoError,
  LocalProtocolError,
  RemoteProtocolError,
  WakitError,
  type WakitErrorClass,
} from './wakit-error';
