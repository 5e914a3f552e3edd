/**
 * Generating the long-lived material a device publishes: its identity key pair, its registration
 * id, one-time prekeys and signed prekeys. The shapes follow libsignal-node's `KeyHelper`
 * (`{ keyId, keyPair }`, `{ keyId, keyPair, signature }`), with raw 32-byte keys as everywhere in
 * wakit: serialize public keys with `serializePublicKey` (0x05 || key) where Signal wants them so.
 */
import { type CryptoProvider, type KeyPair, nobleCrypto } from '@wakit/crypto';
import { serializePublicKey } from './public-key';

/** The largest prekey id: WhatsApp sends prekey ids as 3 big-endian bytes (docs/protocol.md §6.1). */
export const MAX_PREKEY_ID = 0xffffff;

/**
 * The largest registration id `generateRegistrationId` returns. libsignal (Java `KeyHelper`)
 * draws from 1..16380; this keeps its range, which also fits the 14 bits Baileys and libsignal-node
 * use (`& 0x3fff`) and every reference's wider ranges (docs/protocol.md §6.1).
 */
export const MAX_REGISTRATION_ID = 16380;

/** A one-time prekey: its id and key pair. */
export interface PreKey {
  keyId: number;
  keyPair: KeyPair;
}

/** A signed prekey: its id, key pair and the identity key's XEdDSA signature of `0x05 || publicKey`. */
export interface SignedPreKey {
  keyId: number;
  keyPair: KeyPair;
  /** 64 bytes. */
  signature: Uint8Array;
}

/** A new identity key pair (raw 32-byte X25519 keys; the private key clamped). */
export async function generateIdentityKeyPair(crypto: CryptoProvider = nobleCrypto): Promise<KeyPair> {
  return crypto.generateKeyPair();
}

/**
 * A random registration id, uniform in 1..16380 (`MAX_REGISTRATION_ID`).
 *
 * Why not libsignal-node's `random16 & 0x3fff`: that returns 0 one time in 16,384, and 0 reads as
 * "absent" in proto2 fields and in libsignal-node's own `if (!registrationId)` checks. Why not the
 * 31- or 32-bit ranges of whatsapp-rust and whatsmeow: 14-bit ids are what WhatsApp Web and
 * Baileys generate, and every reference accepts them.
 */
export function generateRegistrationId(crypto: CryptoProvider = nobleCrypto): number {
  // Rejection sampling over 14 random bits keeps the distribution uniform (no modulo bias).
  for (;;) {
    const bytes = crypto.randomBytes(2);
    const value = ((bytes[0]! << 8) | bytes[1]!) & 0x3fff;
    if (value >= 1 && value <= MAX_REGISTRATION_ID) return value;
  }
}

/**
 * `count` new one-time prekeys with consecutive ids from `start`. Ids wrap from `MAX_PREKEY_ID`
 * back to 1 (0 is never used: proto2 cannot tell it from an absent field), so a device can keep
 * uploading batches forever by passing the id after its last batch.
 *
 * @example
 * const preKeys = await generatePreKeys(16777214, 3); // ids 16777214, 16777215, 1
 */
export async function generatePreKeys(
  start: number,
  count: number,
  crypto: CryptoProvider = nobleCrypto,
): Promise<PreKey[]> {
  if (!Number.isInteger(start) || start < 1 || start > MAX_PREKEY_ID) {
    throw new RangeError(`"start" expected an integer in [1, ${MAX_PREKEY_ID}], got ${start}`);
  }
  if (!Number.isInteger(count) || count < 0 || count > MAX_PREKEY_ID) {
    throw new RangeError(`"count" expected an integer in [0, ${MAX_PREKEY_ID}], got ${count}`);
  }
  const preKeys: PreKey[] = [];
  for (let i = 0; i < count; i++) {
    const keyId = ((start - 1 + i) % MAX_PREKEY_ID) + 1;
    preKeys.push({ keyId, keyPair: await crypto.generateKeyPair() });
  }
  return preKeys;
}

/**
 * A new signed prekey: a fresh key pair and the identity key's XEdDSA signature over the 33-byte
 * serialized public key, which is what peers verify (X3DH §3.3; docs/protocol.md §6.1).
 *
 * @param keyId below 2^24, like prekey ids (3 bytes on the wire).
 */
export async function generateSignedPreKey(
  identityKeyPair: KeyPair,
  keyId: number,
  crypto: CryptoProvider = nobleCrypto,
): Promise<SignedPreKey> {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > MAX_PREKEY_ID) {
    throw new RangeError(`"keyId" expected an integer in [0, ${MAX_PREKEY_ID}], got ${keyId}`);
  }
  const keyPair = await crypto.generateKeyPair();
  const signature = await crypto.sign(identityKeyPair.privateKey, serializePublicKey(keyPair.publicKey));
  return { keyId, keyPair, signature };
}
