/**
 * The errors of @wakit/binary-node, on the shared tree of @wakit/errors.
 *
 * Decoding throws only `RemoteProtocolError` subclasses, whatever the input; `LocalProtocolError`
 * means the caller asked for something the protocol cannot express (a JID or XML text that does
 * not parse). Argument checks in the encoder throw `TypeError`/`RangeError`, like the platform does.
 * Codes are `ERR_BINARY_*`, `ERR_JID_*`, `ERR_XML_*` and `ERR_ATTRS`.
 */
import { isWakitError, LocalProtocolError, RemoteProtocolError, type WakitError } from '@wakit/errors';

/** Where in the input a decode error happened (byte offset into the node body, after the flag byte). */
export abstract class DecodeError extends RemoteProtocolError {
  constructor(
    message: string,
    /** Byte offset into the decompressed node body at which decoding failed. */
    readonly offset: number,
    options?: { cause?: unknown },
  ) {
    super(`${message} (at byte ${offset})`, options);
  }
}

/** The input ended in the middle of a value. */
export class UnexpectedEofError extends DecodeError {
  static override readonly code = 'ERR_BINARY_EOF';
}

/** A tag byte or dictionary index that the token tables do not define. */
export class InvalidTokenError extends DecodeError {
  static override readonly code = 'ERR_BINARY_INVALID_TOKEN';
}

/** Structurally invalid node: bad list header, empty tag, non-string key, duplicate attribute... */
export class InvalidNodeError extends DecodeError {
  static override readonly code = 'ERR_BINARY_INVALID_NODE';
}

/** A nibble- or hex-packed string with an invalid digit or padding. */
export class InvalidPackedStringError extends DecodeError {
  static override readonly code = 'ERR_BINARY_INVALID_PACKED';
}

/** A JID tag (JID_PAIR, AD_JID, FB_JID, INTEROP_JID) whose parts are invalid. */
export class InvalidJidEncodingError extends DecodeError {
  static override readonly code = 'ERR_BINARY_INVALID_JID';
}

/** String bytes that are not valid UTF-8. */
export class InvalidUtf8Error extends DecodeError {
  static override readonly code = 'ERR_BINARY_INVALID_UTF8';
}

/** Nodes nested deeper than `MAX_NODE_DEPTH`. */
export class MaxDepthError extends DecodeError {
  static override readonly code = 'ERR_BINARY_MAX_DEPTH';
}

/** Bytes left over after the root node. */
export class TrailingBytesError extends DecodeError {
  static override readonly code = 'ERR_BINARY_TRAILING_BYTES';
}

/** A flag byte other than 0x00 (plain) or 0x02 (zlib). */
export class UnknownFormatError extends RemoteProtocolError {
  static override readonly code = 'ERR_BINARY_UNKNOWN_FORMAT';
}

/** The zlib stream is corrupt or truncated. */
export class DecompressError extends RemoteProtocolError {
  static override readonly code = 'ERR_BINARY_ZLIB';
}

/** The zlib stream inflates beyond `MAX_INFLATED_SIZE`. */
export class InflatedSizeError extends RemoteProtocolError {
  static override readonly code = 'ERR_BINARY_INFLATED_TOO_LARGE';
}

const CODE_PREFIXES = ['ERR_BINARY_', 'ERR_JID_', 'ERR_XML_', 'ERR_ATTRS'];

/** True for errors from @wakit/binary-node (codes `ERR_BINARY_*`, `ERR_JID_*`, `ERR_XML_*`, `ERR_ATTRS`). */
export function isBinaryNodeError(error: unknown): error is WakitError {
  return isWakitError(error) && CODE_PREFIXES.some((prefix) => error.code.startsWith(prefix));
}

/** A string that is not a JID in the syntax `parseJid` accepts (see `jid-parse.ts`). */
export class InvalidJidError extends LocalProtocolError {
  static override readonly code = 'ERR_JID_INVALID';

  constructor(
    /** The rejected input, verbatim. */
    readonly input: string,
    /** What is wrong with it, e.g. `device must be 0..65535`. */
    readonly reason: string,
  ) {
    super(`invalid JID ${quoteForMessage(input)}: ${reason}`);
  }
}

/** Text that is not in the XML grammar `fromXml` reads (see `xml-parse.ts`). */
export class XmlParseError extends LocalProtocolError {
  static override readonly code = 'ERR_XML_PARSE';

  constructor(
    message: string,
    /** 1-based line of the offending character. */
    readonly line: number,
    /** 1-based column, in UTF-16 code units, of the offending character. */
    readonly column: number,
  ) {
    super(`${message} (at line ${line}, column ${column})`);
  }
}

/** One attribute problem found by `readAttrs`: which key, what is wrong, and the raw value if any. */
export interface AttrProblem {
  readonly key: string;
  readonly problem: string;
  readonly value?: string;
}

/** A node's attributes are missing or malformed; lists every problem found, not just the first. */
export class AttrsError extends RemoteProtocolError {
  static override readonly code = 'ERR_ATTRS';

  constructor(
    /** Tag of the node whose attributes were read. */
    readonly tag: string,
    readonly problems: readonly AttrProblem[],
  ) {
    const list = problems
      .map(
        (p) => `${p.key}: ${p.problem}${p.value === undefined ? '' : ` (got ${quoteForMessage(p.value)})`}`,
      )
      .join('; ');
    super(`<${tag}> has ${problems.length} invalid attribute(s): ${list}`);
  }
}

/** A required child element is absent (e.g. an `<iq type="result">` without its payload). */
export class MissingChildError extends RemoteProtocolError {
  // ERR_BINARY_ so that isBinaryNodeError recognises it; the node accessors live in this package.
  static override readonly code = 'ERR_BINARY_MISSING_CHILD';

  constructor(
    /** Tag of the node that was searched. */
    readonly parentTag: string,
    /** Tag of the child that was expected. */
    readonly childTag: string,
  ) {
    super(`<${parentTag}> has no <${childTag}> child`);
  }
}

/** JSON-quotes `s` for an error message, cut to 64 characters so a huge input cannot flood logs. */
function quoteForMessage(s: string): string {
  return s.length > 64 ? `${JSON.stringify(s.slice(0, 64))}…(${s.length} chars)` : JSON.stringify(s);
}
