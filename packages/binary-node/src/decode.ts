/**
 * `decodeNode`: frame payload -> BinaryNode, synchronously.
 *
 * Hostile input is the normal case here: every failure is a `DecodeError` (or the zlib errors)
 * with the byte offset, nesting is capped at MAX_NODE_DEPTH, a declared length is checked against
 * the bytes actually present before anything is allocated, inflation is capped at
 * MAX_INFLATED_SIZE, and bytes after the root node are rejected. The decoder is stricter than the
 * references where they silently accept malformed bytes (a non-zero top nibble in BINARY_20, a
 * pad nibble inside a packed string, a duplicate attribute, an unknown AD_JID domain): each of
 * those would otherwise decode to something that does not re-encode to the same bytes.
 */

import {
  InvalidJidEncodingError,
  InvalidNodeError,
  InvalidPackedStringError,
  InvalidTokenError,
  InvalidUtf8Error,
  MaxDepthError,
  TrailingBytesError,
  UnexpectedEofError,
  UnknownFormatError,
} from './errors';
import { DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS } from './gen/tokens';
import { inflateZlib } from './inflate';
import { serverForDomainType } from './jid';
import type { BinaryNode } from './node';
import { PACK_PAD } from './packed';
import {
  AD_JID,
  BINARY_8,
  BINARY_20,
  BINARY_32,
  DICTIONARY_0,
  DICTIONARY_3,
  FB_JID,
  FLAG_PLAIN,
  FLAG_ZLIB,
  HEX_8,
  INTEROP_JID,
  JID_PAIR,
  LIST_8,
  LIST_16,
  LIST_EMPTY,
  MAX_INFLATED_SIZE,
  MAX_NODE_DEPTH,
  NIBBLE_8,
} from './tags';
import { readUtf8 } from './utf8';
import { renderInteropJid, renderJid } from './wire-jid';

/** Options of `decodeNode` and `decodeNodeBody`. */
export interface DecodeOptions {
  /**
   * Return byte content as copies instead of views into the input. Views (the default, as in
   * Baileys and whatsapp-rust) avoid an allocation per binary value, but they see later writes to
   * the input and keep the whole input alive; copy when the input buffer is reused or large.
   */
  copyBytes?: boolean;
}

/**
 * Decode a frame payload: a flag byte (0x00 plain, 0x02 zlib) followed by one node.
 *
 * Throws only this package's `RemoteProtocolError` subclasses for bad input (`TypeError` if
 * `bytes` is not a Uint8Array). Byte content is a view into `bytes` unless `copyBytes` is set.
 *
 * @example
 * decodeNode(Uint8Array.of(0x00, 0xf8, 0x02, 0x13, 0x07)); // { tag: 'message', attrs: {}, content: 'receipt' }
 */
export function decodeNode(bytes: Uint8Array, options?: DecodeOptions): BinaryNode {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeNode expects a Uint8Array');
  if (bytes.length === 0) throw new UnexpectedEofError('empty payload: no flag byte', 0);
  const flag = bytes[0];
  let body: Uint8Array;
  if (flag === FLAG_PLAIN) body = bytes.subarray(1);
  else if (flag === FLAG_ZLIB) body = inflateZlib(bytes.subarray(1), MAX_INFLATED_SIZE);
  else throw new UnknownFormatError(`unknown flag byte 0x${flag!.toString(16).padStart(2, '0')}`);
  return decodeNodeBody(body, options);
}

/** Decode a node body that has no flag byte (the payload after it, already inflated). */
export function decodeNodeBody(body: Uint8Array, options?: DecodeOptions): BinaryNode {
  const reader = new NodeReader(body, options?.copyBytes === true);
  const node = reader.node(1);
  if (reader.pos !== body.length) {
    throw new TrailingBytesError(`${body.length - reader.pos} bytes after the root node`, reader.pos);
  }
  return node;
}

class NodeReader {
  pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly copyBytes: boolean,
  ) {}

  private eof(needed: number): UnexpectedEofError {
    const left = this.bytes.length - this.pos;
    return new UnexpectedEofError(`needed ${needed} more bytes, ${left} left`, this.pos);
  }

  private u8(): number {
    if (this.pos >= this.bytes.length) throw this.eof(1);
    return this.bytes[this.pos++]!;
  }

  private u16(): number {
    if (this.pos + 2 > this.bytes.length) throw this.eof(2);
    const b = this.bytes;
    const v = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  private u20(): number {
    if (this.pos + 3 > this.bytes.length) throw this.eof(3);
    const b = this.bytes;
    const first = b[this.pos]!;
    // The length is 20 bits; a set top nibble means the writer was not writing BINARY_20.
    if (first > 0x0f) throw new InvalidNodeError('BINARY_20 length with a non-zero top nibble', this.pos);
    const v = (first << 16) | (b[this.pos + 1]! << 8) | b[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  private u32(): number {
    if (this.pos + 4 > this.bytes.length) throw this.eof(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  /** Length announced by a BINARY_8/20/32 tag, checked against what is left. */
  private binaryLength(tag: number): number {
    const length = tag === BINARY_8 ? this.u8() : tag === BINARY_20 ? this.u20() : this.u32();
    if (this.pos + length > this.bytes.length) throw this.eof(length);
    return length;
  }

  node(depth: number): BinaryNode {
    const start = this.pos;
    const listTag = this.u8();
    const size = this.listSize(listTag);
    if (size === 0) throw new InvalidNodeError('a node cannot be an empty list', start);
    const tagAt = this.pos;
    const tag = this.string(this.u8());
    if (tag === undefined || tag === '')
      throw new InvalidNodeError('node tag must be a non-empty string', tagAt);

    const attrs: Record<string, string> = {};
    const attrCount = (size - 1) >>> 1;
    for (let i = 0; i < attrCount; i++) {
      const keyAt = this.pos;
      const key = this.string(this.u8());
      if (key === undefined) throw new InvalidNodeError('attribute key must be a string', keyAt);
      // LIST_EMPTY as a value is how some writers send an empty string (Baileys and whatsapp-rust agree).
      const value = this.string(this.u8()) ?? '';
      if (Object.hasOwn(attrs, key)) throw new InvalidNodeError(`duplicate attribute "${key}"`, keyAt);
      setOwn(attrs, key, value);
    }
    if ((size & 1) === 1) return { tag, attrs };
    return { tag, attrs, content: this.content(depth) };
  }

  private listSize(tag: number): number {
    if (tag === LIST_8) return this.u8();
    if (tag === LIST_16) return this.u16();
    if (tag === LIST_EMPTY) return 0;
    throw new InvalidNodeError(`expected a list header, got tag ${tag}`, this.pos - 1);
  }

  private content(depth: number): BinaryNode[] | Uint8Array | string {
    const tag = this.u8();
    if (tag === LIST_EMPTY || tag === LIST_8 || tag === LIST_16) {
      const count = this.listSize(tag);
      if (count > 0 && depth >= MAX_NODE_DEPTH) {
        throw new MaxDepthError(`nodes nest deeper than ${MAX_NODE_DEPTH} levels`, this.pos);
      }
      const children: BinaryNode[] = [];
      for (let i = 0; i < count; i++) children.push(this.node(depth + 1));
      return children;
    }
    if (tag === BINARY_8 || tag === BINARY_20 || tag === BINARY_32) {
      const length = this.binaryLength(tag);
      const start = this.pos;
      this.pos += length;
      const view = this.bytes.subarray(start, this.pos);
      // new Uint8Array, not slice(): a Buffer's slice is a view, which is what copyBytes refuses.
      return this.copyBytes ? new Uint8Array(view) : view;
    }
    // Any other tag is a string: a token, packed digits or a JID. LIST_EMPTY was handled above.
    return this.string(tag)!;
  }

  /** A string value; `undefined` for LIST_EMPTY (an absent value). */
  private string(tag: number): string | undefined {
    if (tag >= 1 && tag < SINGLE_BYTE_TOKENS.length) return SINGLE_BYTE_TOKENS[tag];
    switch (tag) {
      case LIST_EMPTY:
        return undefined;
      case BINARY_8:
      case BINARY_20:
      case BINARY_32:
        return this.utf8(this.binaryLength(tag));
      case NIBBLE_8:
      case HEX_8:
        return this.packed(tag);
      case JID_PAIR:
        return this.jidPair();
      case AD_JID:
        return this.adJid();
      case FB_JID:
        return this.fbJid();
      case INTEROP_JID:
        return this.interopJid();
    }
    if (tag >= DICTIONARY_0 && tag <= DICTIONARY_3) {
      const index = this.u8();
      const token = DOUBLE_BYTE_TOKENS[tag - DICTIONARY_0]![index];
      if (token === undefined)
        throw new InvalidTokenError(`no token ${index} in dictionary ${tag - DICTIONARY_0}`, this.pos - 1);
      return token;
    }
    throw new InvalidTokenError(`tag ${tag} is not assigned`, this.pos - 1);
  }

  private utf8(length: number): string {
    const start = this.pos;
    this.pos += length;
    const s = readUtf8(this.bytes, start, this.pos);
    if (s === undefined) throw new InvalidUtf8Error(`${length}-byte string is not valid UTF-8`, start);
    return s;
  }

  private packed(tag: number): string {
    const header = this.u8();
    const byteCount = header & 0x7f;
    const odd = (header & 0x80) !== 0;
    if (this.pos + byteCount > this.bytes.length) throw this.eof(byteCount);
    if (odd && byteCount === 0) {
      throw new InvalidPackedStringError('odd-length packed string with no bytes', this.pos - 1);
    }
    const nibble = tag === NIBBLE_8;
    const pairs = nibble ? NIBBLE_PAIRS : HEX_PAIRS;
    const whole = odd ? byteCount - 1 : byteCount;
    let s = '';
    if (whole <= SHORT_PACKED) {
      // Appending short flat strings is cheapest for a few bytes...
      for (let i = 0; i < whole; i++) {
        const pair = pairs[this.bytes[this.pos]!];
        if (pair === undefined) throw this.invalidPacked(tag);
        s += pair;
        this.pos++;
      }
    } else {
      // ...one String.fromCharCode call over collected codes beats repeated appends beyond that.
      const codes = nibble ? NIBBLE_CODES : HEX_CODES;
      charCodes.length = 2 * whole;
      for (let i = 0; i < whole; i++) {
        const byte = this.bytes[this.pos]!;
        const hi = codes[byte >>> 4]!;
        const lo = codes[byte & 0x0f]!;
        if (hi < 0 || lo < 0) throw this.invalidPacked(tag);
        charCodes[2 * i] = hi;
        charCodes[2 * i + 1] = lo;
        this.pos++;
      }
      s = String.fromCharCode.apply(null, charCodes);
    }
    if (odd) {
      // The low nibble of the last byte of an odd-length string is padding and must be 15.
      const byte = this.bytes[this.pos]!;
      const last = (nibble ? NIBBLE_DIGITS : HEX_DIGITS)[byte >>> 4];
      if ((byte & 0x0f) !== PACK_PAD || last === undefined) throw this.invalidPacked(tag);
      s += last;
      this.pos++;
    }
    return s;
  }

  private invalidPacked(tag: number): InvalidPackedStringError {
    const kind = tag === NIBBLE_8 ? 'nibble' : 'hex';
    return new InvalidPackedStringError(
      `invalid ${kind} byte 0x${this.bytes[this.pos]!.toString(16)}`,
      this.pos,
    );
  }

  /** User or server part of a JID: a plain string, never another JID (which would recurse without bound). */
  private jidPart(what: string): string | undefined {
    const at = this.pos;
    const tag = this.u8();
    if (tag === JID_PAIR || tag === AD_JID || tag === FB_JID || tag === INTEROP_JID) {
      throw new InvalidJidEncodingError(`JID ${what} is itself a JID`, at);
    }
    return this.string(tag);
  }

  private jidPair(): string {
    const user = this.jidPart('user') ?? '';
    const at = this.pos;
    const server = this.jidPart('server');
    if (!server) throw new InvalidJidEncodingError('JID_PAIR without a server', at);
    return `${user}@${server}`;
  }

  private adJid(): string {
    const at = this.pos;
    const domain = this.u8();
    const device = this.u8();
    const server = serverForDomainType(domain);
    if (server === undefined) throw new InvalidJidEncodingError(`unknown AD_JID domain ${domain}`, at);
    const user = this.jidPart('user');
    if (user === undefined) throw new InvalidJidEncodingError('AD_JID without a user', at);
    return renderJid(user, server, device);
  }

  private fbJid(): string {
    const at = this.pos;
    const user = this.jidPart('user');
    if (user === undefined) throw new InvalidJidEncodingError('FB_JID without a user', at);
    const device = this.u16();
    const server = this.jidPart('server');
    if (server !== 'msgr') throw new InvalidJidEncodingError(`FB_JID server must be msgr, got ${server}`, at);
    return renderJid(user, server, device);
  }

  private interopJid(): string {
    const at = this.pos;
    const user = this.jidPart('user');
    if (user === undefined) throw new InvalidJidEncodingError('INTEROP_JID without a user', at);
    const device = this.u16();
    const integrator = this.u16();
    // Servers append the server string; WA Web's own writer leaves it out (docs/protocol.md §4.3).
    // Accept both: consume a following raw "interop" string, which no other value starts with.
    if (this.startsWith(INTEROP_SERVER_BYTES)) this.pos += INTEROP_SERVER_BYTES.length;
    return renderInteropJid(user, device, integrator);
  }

  private startsWith(prefix: Uint8Array): boolean {
    if (this.pos + prefix.length > this.bytes.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.bytes[this.pos + i] !== prefix[i]) return false;
    return true;
  }
}

const NIBBLE_DIGITS = '0123456789-.'; // 12..14 are invalid, 15 is only the pad
const HEX_DIGITS = '0123456789ABCDEF';

/** Char code of each nibble value, -1 where the value is not a digit. */
const NIBBLE_CODES = /* @__PURE__ */ digitCodes(NIBBLE_DIGITS);
const HEX_CODES = /* @__PURE__ */ digitCodes(HEX_DIGITS);

function digitCodes(digits: string): number[] {
  return Array.from({ length: 16 }, (_, v) => (v < digits.length ? digits.charCodeAt(v) : -1));
}

/** Up to this many whole bytes, packed strings are built by appending (measured on Node 20). */
const SHORT_PACKED = 6;
/** Scratch for String.fromCharCode; decoding is synchronous, so one array serves every call. */
const charCodes: number[] = [];

/**
 * Both characters of every packed byte, precomputed, so decoding a packed string is one table
 * read and one append per byte; undefined where either nibble is not a digit (for nibbles that
 * includes the pad 15, which only the last byte of an odd-length string may carry).
 */
const NIBBLE_PAIRS = /* @__PURE__ */ packedPairs(NIBBLE_DIGITS);
const HEX_PAIRS = /* @__PURE__ */ packedPairs(HEX_DIGITS);

function packedPairs(digits: string): (string | undefined)[] {
  return Array.from({ length: 256 }, (_, byte) => {
    const hi = digits[byte >>> 4];
    const lo = digits[byte & 0x0f];
    return hi === undefined || lo === undefined ? undefined : hi + lo;
  });
}

/** BINARY_8, length 7, "interop": the server string as every writer encodes it (it is not a token). */
const INTEROP_SERVER_BYTES = /* @__PURE__ */ Uint8Array.of(
  BINARY_8,
  7,
  ...[...'interop'].map((c) => c.charCodeAt(0)),
);

/** Set an own property even for keys like `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(target: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
