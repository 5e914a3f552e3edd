/**
 * @packageDocumentation
 * The WhatsApp binary node codec ("WAP" binary XML): `encodeNode` / `decodeNode` for frame
 * payloads, the token dictionaries, JIDs, an XML printer and parser, and an attribute reader.
 * Portable: no Node built-ins, runs in browsers, Deno, Bun and workers.
 */

// The shared error model (@wakit/errors), so this package alone is enough to catch by kind.
export {
  ERROR_KINDS,
  type ErrorKind,
  IoError,
  isIoError,
  isLocalProtocolError,
  isRemoteProtocolError,
  isWakitError,
  LocalProtocolError,
  RemoteProtocolError,
  TimeoutError,
  WakitError,
  type WakitErrorClass,
} from '@wakit/errors';
export { type AttrReader, EMPTY_JID, readAttrs } from './attr-reader';
export { getBinaryContent, getChild, getChildOrThrow, getChildren, getStringContent } from './children';
export { type DecodeOptions, decodeNode, decodeNodeBody } from './decode';
export { encodeNode } from './encode';
export {
  type AttrProblem,
  AttrsError,
  DecodeError,
  DecompressError,
  InflatedSizeError,
  InvalidJidEncodingError,
  InvalidJidError,
  InvalidNodeError,
  InvalidPackedStringError,
  InvalidTokenError,
  InvalidUtf8Error,
  isBinaryNodeError,
  MaxDepthError,
  MissingChildError,
  TrailingBytesError,
  UnexpectedEofError,
  UnknownFormatError,
  XmlParseError,
} from './errors';
export { DICT_VERSION, DOUBLE_BYTE_TOKENS, SINGLE_BYTE_TOKENS, TOKENS_WA_VERSION } from './gen/tokens';
export {
  createJid,
  DOMAIN_TYPES,
  domainTypeOfServer,
  isKnownServer,
  type Jid,
  type JidParts,
  type KnownServer,
  META_AI_JID,
  OFFICIAL_BUSINESS_JID,
  PSA_JID,
  SERVER_JID,
  SERVERS,
  STATUS_BROADCAST_JID,
  serverForDomainType,
} from './jid';
export { isSameUser, jidEquals, normalizeJid, toNonAd, withDevice } from './jid-compare';
export { formatJid, isCanonicalJid, toAdString } from './jid-format';
export { parseJid, toJid, tryParseJid } from './jid-parse';
export {
  domainType,
  isBot,
  isBroadcast,
  isGroup,
  isHosted,
  isInterop,
  isLidUser,
  isMessenger,
  isNewsletter,
  isPnUser,
  isServerJid,
  isStatusBroadcast,
} from './jid-predicates';
export type { BinaryNode, NodeContent, NodeInput } from './node';
export { JID_MAX_BYTES, MAX_INFLATED_SIZE, MAX_LIST_SIZE, MAX_NODE_DEPTH, PACKED_MAX } from './tags';
export { fromXml } from './xml-parse';
export { type ToXmlOptions, toXml } from './xml-print';
