/**
 * Tag bytes and limits of the binary node format (docs/protocol.md §3.2; identical in whatsapp-rust
 * `wacore/binary/src/token.rs`, whatsmeow `binary/token/token.go`, Baileys `WABinary/constants.ts`).
 * Bytes 1..235 are single-byte tokens; 240..244 are unassigned and rejected by the decoder.
 */

export const LIST_EMPTY = 0;
export const DICTIONARY_0 = 236;
export const DICTIONARY_3 = 239;
export const INTEROP_JID = 245;
export const FB_JID = 246;
export const AD_JID = 247;
export const LIST_8 = 248;
export const LIST_16 = 249;
export const JID_PAIR = 250;
export const HEX_8 = 251;
export const BINARY_8 = 252;
export const BINARY_20 = 253;
export const BINARY_32 = 254;
export const NIBBLE_8 = 255;

/** Flag byte of a plain node body. */
export const FLAG_PLAIN = 0x00;
/** Flag byte of a zlib-compressed node body (servers only; clients always send plain). */
export const FLAG_ZLIB = 0x02;

/** Longest string (in characters) that may be nibble- or hex-packed: 7 bits of packed length. */
export const PACKED_MAX = 127;

/**
 * Longest string (in UTF-8 bytes) the encoder treats as a JID. whatsapp-rust's encoder classifies
 * only strings up to 48 bytes as JIDs (`classify_string_hint`); real JIDs are far shorter. Baileys
 * has no limit, so the two disagree on longer `a@b` strings; we follow whatsapp-rust.
 */
export const JID_MAX_BYTES = 48;

/** Deepest nesting of nodes accepted by the decoder and produced by the encoder (whatsapp-rust: 128). */
export const MAX_NODE_DEPTH = 128;

/** Largest body a zlib-compressed node may inflate to (whatsapp-rust caps at 16 MiB too). */
export const MAX_INFLATED_SIZE = 16 * 1024 * 1024;

/** Most items a list header can announce (LIST_16). */
export const MAX_LIST_SIZE = 0xffff;
