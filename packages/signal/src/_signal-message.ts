/**
 * The `msg` wire message (libsignal `SignalMessage`, formerly `WhisperMessage`):
 *
 *     0x33 || SignalMessage{ratchetKey=1 (33 B), counter=2, previousCounter=3, ciphertext=4} || MAC (8 B)
 *
 * MAC = HMAC-SHA256(macKey, senderIdentity (33 B) || receiverIdentity (33 B) || 0x33 || protobuf)
 * truncated to 8 bytes (libsignal `protocol.rs` `SignalMessage::compute_mac`, `MAC_LENGTH = 8`;
 * docs/protocol.md §6.2). Fields are written in field-number order, as libsignal-node's protobuf.js
 * encoder writes them, so the bytes are identical. Internal.
 */
import { HmacSha256Key } from '@wakit/crypto';
import { WIRE_SLAB } from './_byte-slabs';
import { constantTimeEqual } from './_bytes';
import { optionalUint, ProtoWriter, readProto, requireBytes, requireUint } from './_protobuf';
import { InvalidMessageError, UnsupportedVersionError } from './errors';
import { deserializePublicKey, serializePublicKey } from './public-key';

/** (current version 3 << 4) | minimum version 3: the first byte of every message this package reads or writes. */
export const CIPHERTEXT_VERSION = 0x33;
/** Bytes of the truncated MAC that ends a `msg`. */
export const MAC_LENGTH = 8;

const WHAT = 'SignalMessage';

/** A decoded `msg`. Keys are raw 32 bytes. */
export interface SignalMessage {
  ratchetKey: Uint8Array;
  counter: number;
  previousCounter: number;
  ciphertext: Uint8Array;
  /** The whole message as received; the MAC covers all of it but its last 8 bytes. */
  serialized: Uint8Array;
}

/** Refuses anything but version 3 (0x33): older versions are legacy, newer ones unknown. */
export function checkVersionByte(bytes: Uint8Array, what: string): void {
  if (bytes.length === 0) throw new InvalidMessageError(`${what}: empty message`);
  if (bytes[0] !== CIPHERTEXT_VERSION) {
    throw new UnsupportedVersionError(
      `${what}: version byte 0x${bytes[0]!.toString(16).padStart(2, '0')}, only 0x33 (version 3) is supported`,
    );
  }
}

/** Parses a `msg` without checking its MAC (that needs the message keys). */
export function decodeSignalMessage(bytes: Uint8Array): SignalMessage {
  checkVersionByte(bytes, WHAT);
  if (bytes.length < 1 + MAC_LENGTH)
    throw new InvalidMessageError(`${WHAT}: ${bytes.length} bytes is too short`);
  const fields = readProto(bytes.subarray(1, bytes.length - MAC_LENGTH), WHAT);
  return {
    ratchetKey: deserializePublicKey(requireBytes(fields, 1, WHAT)),
    counter: requireUint(fields, 2, WHAT),
    // proto2 optional in libsignal; absent means 0 (libsignal-java reads it the same way).
    previousCounter: optionalUint(fields, 3, WHAT) ?? 0,
    ciphertext: requireBytes(fields, 4, WHAT),
    serialized: bytes,
  };
}

/**
 * Synchronous HMAC from @wakit/crypto (the key was derived a moment earlier; see `_ratchet-kdf.ts`),
 * over the three pieces in place rather than their concatenation.
 */
function computeMac(
  macKey: Uint8Array,
  senderIdentity: Uint8Array,
  receiverIdentity: Uint8Array,
  versionAndBody: Uint8Array,
): Uint8Array {
  const full = new HmacSha256Key(macKey).macParts([senderIdentity, receiverIdentity, versionAndBody]);
  return full.subarray(0, MAC_LENGTH);
}

/** Encodes and MACs a `msg`. Identities are the 33-byte serialized keys. */
export function encodeSignalMessage(
  message: { ratchetKey: Uint8Array; counter: number; previousCounter: number; ciphertext: Uint8Array },
  macKey: Uint8Array,
  senderIdentity: Uint8Array,
  receiverIdentity: Uint8Array,
): Uint8Array {
  // The MAC goes into the message's own array: one allocation of the message's size (off-heap in
  // V8 above 64 bytes) fewer than appending it with a concatenation. Together with the message-key
  // views of `_ratchet-kdf.ts`: one-way chain message 1.06-1.09x faster, same-process A/B.
  const out = new ProtoWriter(WIRE_SLAB)
    .bytes(1, serializePublicKey(message.ratchetKey))
    .uint32(2, message.counter)
    .uint32(3, message.previousCounter)
    .bytes(4, message.ciphertext)
    .finish(CIPHERTEXT_VERSION, MAC_LENGTH);
  const end = out.length - MAC_LENGTH;
  out.set(computeMac(macKey, senderIdentity, receiverIdentity, out.subarray(0, end)), end);
  return out;
}

/** True when the message's MAC is right for these keys (compared in constant time). */
export function verifySignalMessageMac(
  message: SignalMessage,
  macKey: Uint8Array,
  senderIdentity: Uint8Array,
  receiverIdentity: Uint8Array,
): boolean {
  const bytes = message.serialized;
  const versionAndBody = bytes.subarray(0, bytes.length - MAC_LENGTH);
  const expected = computeMac(macKey, senderIdentity, receiverIdentity, versionAndBody);
  return constantTimeEqual(expected, bytes.subarray(bytes.length - MAC_LENGTH));
}
