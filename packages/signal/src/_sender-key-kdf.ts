/**
 * The sender-key chain: one 32-byte chain key per iteration, each giving the next chain key and the
 * seed of that iteration's message key, and the expansion of a seed into an AES-256-CBC key and IV.
 * Internal: the cipher and the record use it, nothing else should.
 *
 * Sources (all three agree byte for byte): libsignal `SenderChainKey` / `SenderMessageKey`
 * (whatsapp-rust `wacore/libsignal/src/protocol/sender_keys.rs`), Baileys
 * `lib/Signal/Group/sender-chain-key.js` and `sender-message-key.js`.
 */
import { HmacSha256Key, hkdfSha256 } from '@wakit/crypto';

/** HMAC-SHA256 input that yields an iteration's message-key seed (libsignal `MESSAGE_KEY_SEED`). */
const MESSAGE_KEY_SEED = Uint8Array.of(0x01);
/** HMAC-SHA256 input that yields the next chain key (libsignal `CHAIN_KEY_SEED`). */
const CHAIN_KEY_SEED = Uint8Array.of(0x02);
/** HKDF info of the message-key expansion: ASCII `WhisperGroup` (docs/protocol.md §6.1). */
const WHISPER_GROUP = Uint8Array.from('WhisperGroup', (c) => c.charCodeAt(0));

/** One link of the chain: the chain key that serves `iteration`. */
export interface ChainStep {
  /** The seed of the message key for `iteration`. */
  readonly messageSeed: Uint8Array;
  /** The chain key for `iteration + 1`. */
  readonly nextChainKey: Uint8Array;
}

// Synchronous HMAC and HKDF from @wakit/crypto, not the provider's: the chain key and the seeds are
// derived here a moment earlier, and a message needs three derivations (more when it skips ahead),
// where the provider's promises and native calls cost more than the hashing itself.

/**
 * Both derivatives of one chain key: HMAC-SHA256(chainKey, 0x01) and HMAC-SHA256(chainKey, 0x02),
 * under one prepared key.
 */
export function stepChain(chainKey: Uint8Array): ChainStep {
  const key = new HmacSha256Key(chainKey);
  return { messageSeed: key.mac(MESSAGE_KEY_SEED), nextChainKey: key.mac(CHAIN_KEY_SEED) };
}

/** An iteration's AES-256-CBC key and IV. */
export interface SenderMessageKey {
  readonly cipherKey: Uint8Array;
  readonly iv: Uint8Array;
}

/**
 * HKDF-SHA256(seed, salt = 32 zero bytes, info = `WhisperGroup`) to 48 bytes: the IV is the first
 * 16, the cipher key the last 32. libsignal (Rust) expands to exactly 48 bytes with no salt, which
 * RFC 5869 §2.2 defines as HashLen zero bytes; Baileys takes the same 48 out of libsignal-node's
 * 64-byte `deriveSecrets` (iv = chunk0[0..16], key = chunk0[16..32] || chunk1[0..16]).
 */
export function expandMessageSeed(seed: Uint8Array): SenderMessageKey {
  const okm = hkdfSha256(seed, 48, { info: WHISPER_GROUP });
  return { iv: okm.subarray(0, 16), cipherKey: okm.subarray(16, 48) };
}
