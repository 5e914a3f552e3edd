/**
 * Signal's serialized Curve25519 public key: the type byte 0x05 (DJB) followed by the 32-byte
 * X25519 u-coordinate (docs/protocol.md §6.1). Keys travel raw (32 bytes) in WhatsApp stanzas and
 * serialized (33 bytes) inside Signal messages and signatures.
 */
import { InvalidMessageError } from './errors';

/** The DJB key type byte. */
export const DJB_TYPE = 0x05;

/** 33-byte serialized form of a raw 32-byte public key. */
export function serializePublicKey(raw: Uint8Array): Uint8Array {
  if (raw.length !== 32)
    throw new RangeError(`"publicKey" expected Uint8Array of length 32, got length=${raw.length}`);
  const out = new Uint8Array(33);
  out[0] = DJB_TYPE;
  out.set(raw, 1);
  return out;
}

/**
 * The raw 32-byte key of a serialized one. Accepts the 33-byte form only (a bare 32-byte key is
 * refused: libsignal does the same, and accepting both would make two byte strings name one key).
 *
 * @throws InvalidMessageError when the length or type byte is wrong (the key came from the wire).
 */
export function deserializePublicKey(serialized: Uint8Array): Uint8Array {
  if (serialized.length !== 33 || serialized[0] !== DJB_TYPE) {
    throw new InvalidMessageError(
      `public key must be 33 bytes starting with 0x05, got ${serialized.length} bytes starting with 0x${(serialized[0] ?? 0).toString(16)}`,
    );
  }
  return new Uint8Array(serialized.subarray(1));
}
