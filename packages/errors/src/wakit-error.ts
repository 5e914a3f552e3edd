/**
 * The error tree every wakit package throws from, defined once so that `instanceof` and the guards
 * mean the same thing in every layer:
 *
 * ```
 * WakitError                abstract; `code` (stable, e.g. ERR_BINARY_EOF) and `kind`
 * ├── RemoteProtocolError   kind 'remote': the peer (or whatever produced the bytes) sent something invalid
 * ├── LocalProtocolError    kind 'local':  the caller, or its own stored state, asked for something impossible
 * └── IoError               kind 'io':     nobody broke the protocol; the link failed, closed or went silent
 * ```
 *
 * A concrete class declares its code once, as a static, and inherits its kind from its branch:
 *
 * ```ts
 * export class UnexpectedEofError extends RemoteProtocolError {
 *   static override readonly code = 'ERR_BINARY_EOF';
 * }
 * ```
 *
 * The base constructor copies both onto the instance, so `error.code` and `error.kind` are plain own
 * properties (they survive logging, `structuredClone` and JSON) and `UnexpectedEofError.code` can be
 * compared against without a string literal. Why statics: a conformance test can read every class's
 * code and kind without constructing it, and a subclass cannot give its instances a kind that
 * contradicts its place in the tree.
 */

/** Who is to blame: the peer's input (`remote`), the caller (`local`), or neither (`io`). */
export type ErrorKind = 'remote' | 'local' | 'io';

/** The kinds, for guards that must reject anything else carrying a `kind` property. */
export const ERROR_KINDS: readonly ErrorKind[] = ['remote', 'local', 'io'];

/** Base class of every error a wakit package throws on purpose. Never thrown itself. */
export abstract class WakitError extends Error {
  /** The stable code of this class; every concrete class sets its own (`ERR_<AREA>_<WHAT>`). */
  declare static readonly code: string;
  /** The kind of this branch of the tree; set once by each branch class. */
  declare static readonly kind: ErrorKind;

  /** Stable machine-readable code, e.g. `ERR_BINARY_EOF`. Never changes between versions. */
  readonly code: string;
  /** Which side is at fault; fixed by the class's branch of the tree. */
  readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const type = new.target as unknown as { readonly code: string; readonly kind: ErrorKind };
    this.name = new.target.name;
    this.code = type.code;
    this.kind = type.kind;
  }
}

/** The peer (or whatever produced the bytes) sent something invalid. Retrying the same input fails again. */
export abstract class RemoteProtocolError extends WakitError {
  static override readonly kind = 'remote';
  declare readonly kind: 'remote';
}

/** The caller (or its own stored state) asked for something the protocol or the API cannot do. */
export abstract class LocalProtocolError extends WakitError {
  static override readonly kind = 'local';
  declare readonly kind: 'local';
}

/**
 * Nobody sent anything invalid: the connection failed or closed, or an answer did not come in time.
 * What was pending has an unknown fate; trying again later may succeed.
 */
export abstract class IoError extends WakitError {
  static override readonly kind = 'io';
  declare readonly kind: 'io';
}

/** A concrete (or abstract) error class of the tree, for guards that take the class to match. */
export type WakitErrorClass<T extends WakitError = WakitError> = (abstract new (
  ...args: never[]
) => T) & { readonly code: string; readonly kind: ErrorKind };
