/**
 * WhatsApp's constants for the Noise layer: the connection header, the edge-routing preamble, the
 * frame limits and the certificate root. Each cites where the value comes from; docs/protocol.md §1–§2
 * collects the references.
 */

import { hexToBytes } from './_bytes';

/** `W`, `A`: the first two bytes of the connection header. */
const WA_MAGIC_PREFIX = [0x57, 0x41] as const;

/** The third byte of the connection header. WA Web: `WA_MAGIC_VALUE = 6` (docs/protocol.md §1). */
export const WA_MAGIC_VALUE = 6;

/** The fourth byte: the binary-node token dictionary version the client speaks (docs/protocol.md §3.6). */
export const WA_DICT_VERSION = 3;

/**
 * The 4-byte connection header `57 41 06 03` sent once, in clear, right before the first frame. It
 * is also the Noise prologue (docs/protocol.md §2.1). A fresh copy on every call, so no caller can
 * corrupt another's.
 *
 * @example
 * ```ts
 * waConnHeader(); // Uint8Array [0x57, 0x41, 0x06, 0x03]
 * ```
 */
export function waConnHeader(): Uint8Array {
  return Uint8Array.of(...WA_MAGIC_PREFIX, WA_MAGIC_VALUE, WA_DICT_VERSION);
}

/** Length of the connection header. */
export const WA_CONN_HEADER_SIZE = 4;

/**
 * The 4 bytes that open the optional edge-routing preamble: `"ED"`, 0x00, 0x01
 * (whatsapp-rust `wacore/noise/src/edge_routing.rs`, Baileys `noise-handler.ts`).
 */
export const EDGE_ROUTING_MAGIC: readonly number[] = [0x45, 0x44, 0x00, 0x01];

/** The largest routing info the preamble's 3-byte length can carry. */
export const MAX_ROUTING_INFO_SIZE = 0xff_ffff;

/** Bytes in a frame's big-endian length prefix (docs/protocol.md §1). */
export const FRAME_LENGTH_SIZE = 3;

/**
 * Frame payloads must be shorter than this: 16 MiB, the first length 3 bytes cannot hold.
 * WA Web: `if (t >= 1 << 24)` rejects the frame (whatsapp-rust `framing.rs` `FRAME_MAX_SIZE`).
 */
export const FRAME_MAX_SIZE = 1 << 24;

/** The largest payload a frame can carry: `FRAME_MAX_SIZE - 1` bytes. */
export const FRAME_MAX_PAYLOAD_SIZE = FRAME_MAX_SIZE - 1;

/**
 * WhatsApp's root key for server certificates (Curve25519, XEdDSA), hex. Same value in
 * whatsapp-rust `WA_CERT_PUB_KEY`, whatsmeow `WACertPubKey`, Baileys `WA_CERT_DETAILS.PUBLIC_KEY`.
 */
export const WA_CERT_ROOT_PUBLIC_KEY_HEX = '142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b';

/**
 * {@link WA_CERT_ROOT_PUBLIC_KEY_HEX} as 32 bytes, a fresh copy on every call.
 *
 * @example
 * ```ts
 * verifyCertChain(chainBytes, { crypto, serverStatic, rootPublicKey: waCertRootPublicKey() });
 * ```
 */
export function waCertRootPublicKey(): Uint8Array {
  return hexToBytes(WA_CERT_ROOT_PUBLIC_KEY_HEX);
}

/**
 * The issuer serial an intermediate certificate must carry (it is signed by the root, serial 0).
 * whatsapp-rust `WA_CERT_ISSUER_SERIAL`, whatsmeow `WACertIssuerSerial`.
 */
export const WA_CERT_ISSUER_SERIAL = 0;

/** Curve25519 public keys, ephemeral or static, are 32 raw bytes on the Noise side. */
export const DH_KEY_SIZE = 32;

/** AES-GCM tag length: every Noise ciphertext is 16 bytes longer than its plaintext. */
export const AEAD_TAG_SIZE = 16;

/**
 * Transport counters are 32 bits: the IV is 8 zero bytes then the counter, big-endian
 * (docs/protocol.md §2.1; whatsapp-rust `generate_iv`, Baileys `generateIV`). Noise's own AESGCM nonce
 * is 64 bits, identical below 2^32, so the session ends at 2^32 messages in each direction.
 */
export const WA_NONCE_LIMIT = 2 ** 32;

/**
 * The protocol name of WhatsApp's full handshake (docs/protocol.md §2.1): 28 bytes, zero-padded to 32
 * and used as the initial hash, exactly as Noise pads it.
 */
export const WA_XX_PROTOCOL_NAME = 'Noise_XX_25519_AESGCM_SHA256';

/**
 * A WhatsApp handshake: `XX` (first connect), `IK` (resume with a cached server static) or
 * `XXfallback` (the server declined the resume).
 */
export type WaPattern = 'XX' | 'IK' | 'XXfallback';
