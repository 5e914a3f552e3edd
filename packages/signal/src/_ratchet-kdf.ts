/**
 * The key derivations of Signal's X3DH and Double Ratchet as libsignal instantiates them (message
 * version 3): HKDF-SHA256 with the info labels `WhisperText`, `WhisperRatchet` and
 * `WhisperMessageKeys`, and HMAC-SHA256 chain steps (docs/protocol.md §6.1). Internal.
 *
 * Sources: X3DH spec §2.2 (the 32 0xFF bytes, "F"), §3.3 (the DH order); Double Ratchet spec §5.2
 * (KDF_RK, KDF_CK) and §3.1 (chain keys); libsignal `ratchet/keys.rs` (ChainKey, RootKey,
 * MessageKeys: 80 bytes = cipher key 32 || MAC key 32 || IV 16).
 */
import { type CryptoProvider, HmacSha256Key, hkdfSha256, isInvalidKeyError } from '@wakit/crypto';
import { asciiBytes, concatBytes } from './_bytes';
import { InvalidMessageError } from './errors';

const WHISPER_TEXT = asciiBytes('WhisperText');
const WHISPER_RATCHET = asciiBytes('WhisperRatchet');
const WHISPER_MESSAGE_KEYS = asciiBytes('WhisperMessageKeys');
/** libsignal passes an explicit 32-byte zero salt (the RFC 5869 default for SHA-256, spelled out). */
const ZERO_SALT = new Uint8Array(32);
/** Double Ratchet §5.2: the chain key HMAC inputs for the message key and the next chain key. */
const MESSAGE_KEY_SEED = Uint8Array.of(0x01);
const CHAIN_KEY_SEED = Uint8Array.of(0x02);
/**
 * X3DH §2.2: for X25519, F is 32 0xFF bytes, prepended so the KDF input can never be mistaken for
 * one of an XEdDSA signature's hash inputs (cryptographic domain separation).
 */
const X3DH_DISCONTINUITY = new Uint8Array(32).fill(0xff);

/** A root key and the chain key derived with it. */
export interface RootAndChain {
  rootKey: Uint8Array;
  chainKey: Uint8Array;
}

/** The three keys one message key seed expands to. */
export interface MessageKeys {
  cipherKey: Uint8Array;
  macKey: Uint8Array;
  iv: Uint8Array;
}

/**
 * X25519 agreement with a peer's key. A low-order key (all-zero result) is the peer's fault, so the
 * crypto package's InvalidKeyError becomes this package's InvalidMessageError.
 */
export async function agree(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  crypto: CryptoProvider,
): Promise<Uint8Array> {
  try {
    return await crypto.sharedKey(privateKey, publicKey);
  } catch (error) {
    if (isInvalidKeyError(error)) throw new InvalidMessageError('peer key is of low order', { cause: error });
    throw error;
  }
}

/**
 * The HKDF of a message version, as libsignal-java's `HKDF.createFor(messageVersion)`: version 3
 * (all this package speaks, and all WhatsApp sends) is RFC 5869. The parameter exists so the
 * libsignal-java KATs can check version 2's values through the same derivations.
 */
export type Hkdf = typeof hkdfSha256;

// The derivations below are synchronous (@wakit/crypto's own HMAC/HKDF): they only ever key with
// secrets derived a moment earlier, and a message needs several of them, where the provider's
// promises and native calls cost more than the hashing. Only X25519 goes through the provider.

/**
 * X3DH §3.3: SK = KDF(F || DH1 || DH2 || DH3 [|| DH4]); libsignal expands 64 bytes, the first
 * 32 being the first root key and the last 32 the first chain key (`ratchet.rs`
 * `derive_keys`). `agreements` are the DH outputs in that order.
 */
export function deriveInitialKeys(agreements: Uint8Array[]): RootAndChain {
  const secret = concatBytes(X3DH_DISCONTINUITY, ...agreements);
  const okm = hkdfSha256(secret, 64, { salt: ZERO_SALT, info: WHISPER_TEXT });
  return { rootKey: okm.slice(0, 32), chainKey: okm.slice(32, 64) };
}

/**
 * Double Ratchet §5.2 KDF_RK: HKDF(ikm = DH(ourRatchetPrivate, theirRatchetPublic), salt = rootKey,
 * info = `WhisperRatchet`) -> next root key || chain key. Keys are raw 32 bytes.
 */
export async function ratchetRootKey(
  rootKey: Uint8Array,
  theirRatchetKey: Uint8Array,
  ourRatchetPrivateKey: Uint8Array,
  crypto: CryptoProvider,
  hkdf: Hkdf = hkdfSha256,
): Promise<RootAndChain> {
  const shared = await agree(ourRatchetPrivateKey, theirRatchetKey, crypto);
  const okm = hkdf(shared, 64, { salt: rootKey, info: WHISPER_RATCHET });
  return { rootKey: okm.slice(0, 32), chainKey: okm.slice(32, 64) };
}

/**
 * Double Ratchet §5.2 KDF_CK: the message key seed (HMAC(ck, 0x01)) and next chain key
 * (HMAC(ck, 0x02)), both under one prepared key.
 */
export function stepChainKey(chainKey: Uint8Array): { messageKeySeed: Uint8Array; nextChainKey: Uint8Array } {
  const key = new HmacSha256Key(chainKey);
  return { messageKeySeed: key.mac(MESSAGE_KEY_SEED), nextChainKey: key.mac(CHAIN_KEY_SEED) };
}

/**
 * libsignal `MessageKeys::derive_keys`: HKDF(seed, zero salt, `WhisperMessageKeys`, 80) split
 * 32/32/16. The keys are views of the fresh output, not copies: they are used for one message and
 * never stored or returned, so nothing else can see or change that array.
 */
export function deriveMessageKeys(messageKeySeed: Uint8Array, hkdf: Hkdf = hkdfSha256): MessageKeys {
  const okm = hkdf(messageKeySeed, 80, { salt: ZERO_SALT, info: WHISPER_MESSAGE_KEYS });
  return { cipherKey: okm.subarray(0, 32), macKey: okm.subarray(32, 64), iv: okm.subarray(64, 80) };
}
