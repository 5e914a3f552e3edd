/**
 * `encodeNode`: BinaryNode -> frame payload (flag byte 0x00 + node body), synchronously.
 *
 * For well-formed nodes the bytes equal Baileys' `encodeBinaryNode` and whatsapp-rust's
 * `marshal` (checked by test/differential.test.ts on thousands of random nodes): the same list
 * headers, the same string order (token, double-byte token, nibble, hex, JID, raw; docs/protocol.md §3.4)
 * and the same JID forms. Where the references disagree or lose data, we keep the input intact;
 * wire-jid.ts lists those cases.
 */
import { ByteWriter } from './byte-writer';
import type { NodeInput } from './node';
import { packedKind, writePacked } from './packed';
import {
  AD_JID,
  BINARY_8,
  BINARY_20,
  BINARY_32,
  FB_JID,
  FLAG_PLAIN,
  HEX_8,
  INTEROP_JID,
  JID_PAIR,
  LIST_8,
  LIST_16,
  LIST_EMPTY,
  MAX_LIST_SIZE,
  MAX_NODE_DEPTH,
  NIBBLE_8,
} from './tags';
import { tokenCode } from './token-lookup';
import { utf8Length } from './utf8';
import { JID_KIND_AD, JID_KIND_FB, JID_KIND_INTEROP, matchWireJid, type WireJid } from './wire-jid';

/** Reused across calls; see `encodeNode` for why that is safe. */
const shared = /* @__PURE__ */ new ByteWriter();
let sharedInUse = false;
let writer = shared;

/**
 * Encode a node as a frame payload: the flag byte 0x00 followed by the node body.
 *
 * Throws `TypeError` for values that are not a node (missing tag, non-string attribute value,
 * invalid content) and `RangeError` for what the format cannot hold (more than 65,535 list items,
 * nesting deeper than 128). Nothing is written to the wire by this function; it only returns bytes.
 *
 * @example
 * encodeNode({ tag: 'iq', attrs: { id: '1', type: 'get', xmlns: 'w:p', to: '@s.whatsapp.net' } });
 * // Uint8Array [0x00, 0xf8, 0x09, 0x19, 0x08, 0x55, 0x04, 0x29, 0x16, 0x57, 0x11, 0xfa, 0x00, 0x03]
 */
export function encodeNode(node: NodeInput): Uint8Array {
  // Encoding is synchronous, so one scratch buffer serves every call. The only way back in while
  // it is busy is a getter on the node calling encodeNode; that call gets a buffer of its own.
  const outer = writer;
  writer = sharedInUse ? new ByteWriter() : shared;
  const owns = writer === shared;
  if (owns) sharedInUse = true;
  try {
    writer.reset();
    writer.u8(FLAG_PLAIN);
    writeNode(node, 1);
    return writer.finish();
  } finally {
    writer.reset();
    if (owns) sharedInUse = false;
    writer = outer;
  }
}

function writeNode(node: NodeInput, depth: number): void {
  if (node === null || typeof node !== 'object') {
    throw new TypeError(`expected a node object, got ${node === null ? 'null' : typeof node}`);
  }
  if (depth > MAX_NODE_DEPTH) throw new RangeError(`nodes nest deeper than ${MAX_NODE_DEPTH} levels`);
  const { tag, attrs, content } = node;
  if (typeof tag !== 'string' || tag === '') {
    throw new TypeError(`node tag must be a non-empty string, got ${JSON.stringify(tag)}`);
  }

  const keys = attrs ? Object.keys(attrs) : [];
  let attrCount = 0;
  for (const key of keys) {
    const value = attrs![key];
    if (typeof value === 'string') attrCount++;
    else if (value !== undefined && value !== null) {
      throw new TypeError(`attribute "${key}" of <${tag}> must be a string, got ${typeof value}`);
    }
  }

  writeListStart(1 + 2 * attrCount + (content === undefined ? 0 : 1), tag);
  writeString(tag);
  for (const key of keys) {
    const value = attrs![key];
    if (typeof value !== 'string') continue;
    writeString(key);
    writeString(value);
  }
  if (content !== undefined) writeContent(content, tag, depth);
}

function writeContent(content: NonNullable<NodeInput['content']>, tag: string, depth: number): void {
  if (typeof content === 'string') {
    writeString(content);
  } else if (content instanceof Uint8Array) {
    writeBytesWithLength(content);
  } else if (Array.isArray(content)) {
    writeListStart(content.length, tag);
    for (const child of content) writeNode(child, depth + 1);
  } else {
    throw new TypeError(`content of <${tag}> must be child nodes, a Uint8Array or a string`);
  }
}

function writeListStart(size: number, tag: string): void {
  if (size === 0) writer.u8(LIST_EMPTY);
  else if (size < 256) writer.u8x2(LIST_8, size);
  else if (size <= MAX_LIST_SIZE) {
    writer.u8(LIST_16);
    writer.u16(size);
  } else {
    throw new RangeError(`<${tag}> needs a list of ${size} items; the format allows ${MAX_LIST_SIZE}`);
  }
}

/** BINARY_8 below 256 bytes, BINARY_20 below 2^20, else BINARY_32 (docs/protocol.md §3.3). */
function writeLengthPrefix(length: number): void {
  if (length < 256) writer.u8x2(BINARY_8, length);
  else if (length < 1 << 20) {
    writer.u8(BINARY_20);
    writer.u20(length);
  } else if (length <= 0xffffffff) {
    writer.u8(BINARY_32);
    writer.u32(length);
  } else {
    throw new RangeError(`${length} bytes do not fit a 32-bit length`);
  }
}

function writeBytesWithLength(bytes: Uint8Array): void {
  writeLengthPrefix(bytes.length);
  writer.bytes(bytes);
}

function writeString(s: string): void {
  if (s === '') {
    writer.u8x2(BINARY_8, 0);
    return;
  }
  const code = tokenCode(s);
  if (code !== undefined) {
    if (code < 256) writer.u8(code);
    else writer.u8x2(code >>> 8, code & 0xff);
    return;
  }
  const packed = packedKind(s);
  if (packed !== 0) {
    writePacked(writer, s, packed === 1 ? NIBBLE_8 : HEX_8);
    return;
  }
  const jid = matchWireJid(s);
  if (jid !== undefined) {
    writeJid(jid);
    return;
  }
  const length = utf8Length(s);
  writeLengthPrefix(length);
  writer.utf8(s, length);
}

function writeJid(jid: WireJid): void {
  switch (jid.kind) {
    case JID_KIND_AD:
      writer.u8(AD_JID);
      writer.u8x2(jid.domain, jid.device);
      writeString(jid.user);
      return;
    case JID_KIND_FB:
      writer.u8(FB_JID);
      writeString(jid.user);
      writer.u16(jid.device);
      writeString(jid.server);
      return;
    case JID_KIND_INTEROP:
      // WA Web's writer (per whatsapp-rust `write_interop_jid`) sends no server after the
      // integrator; the decoder accepts both forms. whatsmeow appends the server. DISAGREE noted
      // in docs/protocol.md §4.3.
      writer.u8(INTEROP_JID);
      writeString(jid.user);
      writer.u16(jid.device);
      writer.u16(jid.integrator);
      return;
    default:
      writer.u8(JID_PAIR);
      if (jid.user === '') writer.u8(LIST_EMPTY);
      else writeString(jid.user);
      writeString(jid.server);
  }
}
