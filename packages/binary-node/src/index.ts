/**
 * @packageDocumentation
 * The WhatsApp binary node codec ("WAP" binary XML): `encodeNode` / `decodeNode` for frame
 * payloads, the token dictionaries, JIDs, an XML printer and parser, and an attribute reader.
 * Portable: no Node built-ins, runs in browsers, Deno, Bun and workers.
 */

export { decodeNode, decodeNodeBody } from './decode';
export { encodeNode } from './encode';
export {
  DecodeError,
  DecompressError,
  type ErrorKind,
  InflatedSizeError,
  InvalidJidEncodingError,
  InvalidNodeError,
  InvalidPackedStringError,
  InvalidTokenError,
  InvalidUtf8Error,
  isBinaryNodeError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  MaxDepthError,
  RemoteProtocolError,
  TrailingBytesError,
  UnexpectedEofError,
  UnknownFormatError,
  WakitError,
} from './errors';
export { DICT_VERSION, DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS, TOKENS_WA_VERSION } from './gen/tokens';
export type { BinaryNode, NodeContent, NodeInput } from './node';
export { JID_MAX_BYTES, MAX_INFLATED_SIZE, MAX_LIST_SIZE, MAX_NODE_DEPTH, PACKED_MAX } from './tags';
